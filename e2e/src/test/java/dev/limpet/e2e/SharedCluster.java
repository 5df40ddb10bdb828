package dev.limpet.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.e2e.local.LimpetResources;
import dev.limpet.e2e.local.LocalCluster;
import dev.limpet.e2e.local.LocalSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local Limpet (API server, operator, two data planes, demo backend, examples applied) for the
 * whole suite: started by the first test class that needs it, stopped when the suite ends. Each
 * test class leaves it as it found it (three demo pods, both replicas up, the API reachable).
 */
final class SharedCluster implements BeforeAllCallback {
  static final List<String> EXAMPLE_SERVICES =
      List.of(
          "app-cookie",
          "client-ip",
          "custom-header",
          "datascript-header",
          "datascript-jsessionid",
          "http-cookie",
          "http2",
          "ip-deny-list");
  private static LocalCluster cluster;

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    synchronized (SharedCluster.class) {
      if (cluster != null) return;
      LocalCluster started =
          LocalCluster.start(LocalSettings.endToEnd(Path.of("..").toAbsolutePath().normalize()));
      context
          .getRoot()
          .getStore(ExtensionContext.Namespace.GLOBAL)
          .put("cluster", (ExtensionContext.Store.CloseableResource) started::close);
      started.applyExamples();
      cluster = started;
      awaitAllReady();
    }
  }

  static LocalCluster cluster() {
    return cluster;
  }

  /** Waits until every VirtualService of examples/ is Ready (each replica applied it). */
  static void awaitAllReady() {
    LimpetResources resources = cluster.resources();
    await("every VirtualService of examples/ Ready")
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(250))
        .untilAsserted(
            () -> {
              for (String name : EXAMPLE_SERVICES)
                assertThat(resources.condition("VirtualService", name, "Ready"))
                    .as(name)
                    .hasValueSatisfying(c -> assertThat(c.isTrue()).as(c.toString()).isTrue());
            });
  }
}
