package dev.limpet.e2e.local;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where the pieces of a local run live. Every "pod" gets its own loopback address (Linux routes all
 * of 127.0.0.0/8 to loopback), so the data-plane replicas can use the same ports as they do in a
 * cluster.
 *
 * @param repo the project's root (the shaded jars, crds/ and examples/ are read from it)
 * @param work where logs and generated secrets go
 * @param api where the operator and the data planes reach the API server
 * @param operatorProbes the operator's probe port (/healthz, /readyz, /metrics)
 * @param dataPlaneIps one address per data-plane replica
 * @param backendIps addresses for the demo backend's pods, in order of creation
 */
public record LocalSettings(
    Path repo,
    Path work,
    InetSocketAddress api,
    InetSocketAddress operatorProbes,
    List<String> dataPlaneIps,
    List<String> backendIps) {

  public static final String NAMESPACE = "default";
  public static final String GROUP = "default";
  public static final int ADMIN_PORT = 9901;
  public static final int PEER_PORT = 9902;
  public static final int BACKEND_PORT = 8080;

  /** The addresses of the README's local run. */
  public static LocalSettings local(Path repo) {
    return of(repo, repo.resolve("e2e/target/local"), 1);
  }

  /** The addresses of the end-to-end tests: apart from a local run that may be going on. */
  public static LocalSettings endToEnd(Path repo) {
    return of(repo, repo.resolve("e2e/target/e2e-run"), 11);
  }

  private static LocalSettings of(Path repo, Path work, int base) {
    String control = "127.0." + (base + 8) + ".1";
    return new LocalSettings(
        repo,
        work,
        new InetSocketAddress(control, 6443),
        new InetSocketAddress(control, 8081),
        List.of("127.0." + base + ".1", "127.0." + base + ".2"),
        IntStream.rangeClosed(1, 30).mapToObj(i -> "127.0." + (base + 1) + "." + i).toList());
  }

  Path operatorJar() {
    return repo.resolve("operator/target/limpet-operator.jar");
  }

  Path dataPlaneJar() {
    return repo.resolve("dataplane/target/limpet-dataplane.jar");
  }

  Path demoBackendSource() {
    return repo.resolve("examples/demo-backend/DemoBackend.java");
  }
}
