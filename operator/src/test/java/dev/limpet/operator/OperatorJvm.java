package dev.limpet.operator;

import dev.limpet.testsupport.MockApi;
import dev.limpet.testsupport.TestPki;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The operator's shaded jar run as its own JVM, with the arguments and JVM options of the chart's
 * operator container (leader election, probes, webhook), against a (mock) API server: what a
 * benchmark measures when the process's own memory matters.
 */
final class OperatorJvm implements AutoCloseable {
  private final Process process;
  private final int probePort;

  private OperatorJvm(Process process, int probePort) {
    this.process = process;
    this.probePort = probePort;
  }

  /**
   * Starts {@code jar} as the chart's container would, its output to {@code log}; the mock server
   * is told to grant the Lease access the operator asks about (it cannot evaluate RBAC).
   */
  static OperatorJvm start(
      Path jar, ChartOperatorJvm chart, KubernetesMockServer server, String apiUrl, Path log)
      throws IOException {
    if (!Files.isRegularFile(jar))
      throw new IOException(jar + " is missing: mvn -B -o package -DskipTests -pl operator -am");
    MockApi.grantLeaseAccess(server);
    Path certificates = Files.createTempDirectory("limpet-webhook");
    var pem = TestPki.selfSigned("limpet-webhook");
    Path cert = Files.writeString(certificates.resolve("tls.crt"), pem.certificatePem());
    Path key = Files.writeString(certificates.resolve("tls.key"), pem.pkcs1KeyPem());
    int probes = freePort();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(chart.containerFlags());
    if (Boolean.getBoolean("limpet.benchmark.diagnostics"))
      command.add("-XX:NativeMemoryTracking=summary");
    if (Boolean.getBoolean("limpet.benchmark")) {
      // one DEBUG line per reconcile and per render, which the benchmark counts
      command.add("-Dlimpet.reconcilerLogLevel=DEBUG");
      // e.g. -Dlimpet.benchmark.jvmFlags=-XX:StartFlightRecording=filename=target/op.jfr
      String flags = System.getProperty("limpet.benchmark.jvmFlags", "");
      if (!flags.isBlank()) command.addAll(List.of(flags.trim().split("\\s+")));
    }
    command.addAll(
        List.of(
            "-jar",
            jar.toString(),
            "--probes=127.0.0.1:" + probes,
            "--leader-election",
            "--lease-name=limpet-operator",
            "--webhook=127.0.0.1:" + freePort(),
            "--webhook-cert=" + cert,
            "--webhook-key=" + key));
    Files.createDirectories(log.getParent());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()));
    var env = builder.environment();
    env.putAll(chart.environment());
    env.putAll(MockApi.clientEnvironment(apiUrl, "limpet-system"));
    env.put("POD_NAME", "limpet-operator-0");
    env.put("POD_NAMESPACE", "limpet-system");
    return new OperatorJvm(builder.start(), probes);
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process.isAlive();
  }

  /** Whether {@code /readyz} answers 200: informers synced, leading, webhook caches listed. */
  boolean ready() {
    try {
      return HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + probePort + "/readyz"))
                      .timeout(Duration.ofSeconds(1))
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** SIGTERM, as the kubelet stops a pod; SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
  }
}
