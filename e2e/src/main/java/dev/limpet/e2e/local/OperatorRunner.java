package dev.limpet.e2e.local;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator as its Deployment runs it: one process with leader election on, a new pod name at
 * each start (as a new pod would have), probes on their own address. Plays its kubelet and
 * ReplicaSet too: an operator that dies is reported and started again.
 */
public final class OperatorRunner implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorRunner.class);

  private final LocalSettings settings;
  private final Map<String, String> apiEnvironment;
  private JavaProcess process;
  private int starts;
  private boolean closed;

  OperatorRunner(LocalSettings settings, Map<String, String> apiEnvironment) {
    this.settings = settings;
    this.apiEnvironment = apiEnvironment;
  }

  synchronized void start() throws IOException {
    String pod = "limpet-operator-" + starts++;
    Map<String, String> env = new HashMap<>(apiEnvironment);
    env.put("POD_NAME", pod);
    env.put("POD_NAMESPACE", LocalSettings.NAMESPACE);
    var probes = settings.operatorProbes();
    process =
        JavaProcess.start(
            pod,
            List.of("-Xmx384m"),
            List.of(
                "-jar",
                settings.operatorJar().toString(),
                "--probes",
                probes.getHostString() + ":" + probes.getPort()),
            env,
            settings.work().resolve("logs/" + pod + ".log"));
  }

  /** SIGTERM (the operator releases nothing on purpose: its successor waits out the Lease). */
  public synchronized void stop() throws InterruptedException {
    if (process != null) process.stop(30);
  }

  /** Stops the operator and starts a new one, as a rollout of its Deployment does. */
  public synchronized void restart() throws IOException, InterruptedException {
    stop();
    start();
  }

  /** SIGKILL, as a crash or the OOM killer would; the next {@link #tick} starts a new one. */
  public synchronized void kill() throws InterruptedException {
    LOG.info("killing {} (pid {})", process.name(), process.pid());
    process.kill();
  }

  /** One kubelet pass: an operator that exited is reported and replaced. */
  synchronized void tick() throws IOException {
    if (closed || process == null || process.alive()) return;
    JavaProcess gone = process;
    start();
    LOG.warn(
        "{} exited (status {}; its log: {}); started {}",
        gone.name(),
        gone.exitStatus(),
        gone.log(),
        process.name());
  }

  public synchronized long pid() {
    return process.pid();
  }

  /** How many operator processes were started (a new pod name each). */
  public synchronized int starts() {
    return starts;
  }

  @Override
  public synchronized void close() throws InterruptedException {
    closed = true;
    if (process != null) process.close();
  }
}
