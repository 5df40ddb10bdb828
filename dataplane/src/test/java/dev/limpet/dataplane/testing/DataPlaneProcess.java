package dev.limpet.dataplane.testing;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A data plane in a JVM of its own (real process, own heap), started from the test class path. */
public final class DataPlaneProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private DataPlaneProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts it with {@code jvmOptions} and waits (bounded) until {@code port} accepts connections.
   */
  public static DataPlaneProcess start(Path config, int port, String... jvmOptions)
      throws IOException {
    return start(config, port, List.of(), jvmOptions);
  }

  /**
   * Starts it with extra command-line {@code arguments} (an {@code --admin} among them replaces the
   * default {@code 127.0.0.1:0}) and waits (bounded) until {@code port} accepts connections.
   */
  public static DataPlaneProcess start(
      Path config, int port, List<String> arguments, String... jvmOptions) throws IOException {
    Path log = Files.createTempFile("dataplane", ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmOptions));
    command.addAll(
        List.of(
            "-cp", System.getProperty("java.class.path"), "dev.limpet.dataplane.DataPlaneMain"));
    command.addAll(List.of("--config", config.toString(), "--no-access-log"));
    if (!arguments.contains("--admin")) command.addAll(List.of("--admin", "127.0.0.1:0"));
    command.addAll(arguments);
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    DataPlaneProcess dp = new DataPlaneProcess(p, log);
    await().atMost(Duration.ofSeconds(30)).until(() -> !p.isAlive() || accepts(port));
    if (!p.isAlive()) throw new IllegalStateException("data plane exited: " + dp.log());
    return dp;
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  public boolean alive() {
    return process.isAlive();
  }

  public String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Ends it at once (SIGKILL): no drain, no goodbye to its peers. */
  public void kill() throws InterruptedException {
    process.destroyForcibly().waitFor();
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS))
        process.destroyForcibly().waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
