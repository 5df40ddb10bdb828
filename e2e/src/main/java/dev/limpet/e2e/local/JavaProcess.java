package dev.limpet.e2e.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM, as a pod's container: started with its own log file, stopped with SIGTERM (as the
 * kubelet does, waiting for the drain) or killed with SIGKILL (a node or process crash).
 */
final class JavaProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path log;

  private JavaProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code java <jvmArgs> <args>} with {@code env} added, its output to {@code log}. */
  static JavaProcess start(
      String name, List<String> jvmArgs, List<String> args, Map<String, String> env, Path log)
      throws IOException {
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmArgs);
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    return new JavaProcess(name, builder.start(), log);
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** The exit status, once it ended (137 after SIGKILL, 143 after SIGTERM). */
  int exitStatus() {
    return process.exitValue();
  }

  Path log() {
    return log;
  }

  /** SIGTERM, then SIGKILL if it has not ended within {@code graceSeconds}. */
  void stop(int graceSeconds) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) kill();
  }

  /** SIGKILL: the process gets no chance to drain or say goodbye. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (alive()) stop(10);
  }
}
