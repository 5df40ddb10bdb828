package dev.limpet.charts;

import dev.limpet.testsupport.MockApi;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The API server that the chart's {@code lookup} calls reach while the tests render it: a fabric8
 * mock server (CRUD) on 127.0.0.1, written into the kubeconfig file that {@code KUBECONFIG} names.
 *
 * <p>helm-java's {@code template} renders with a cluster connection (unlike the helm CLI's), so
 * every {@code lookup} needs an API server. This one starts empty, which is what a first install
 * sees; a test puts Secrets into it to see what an upgrade renders. The pom sets {@code KUBECONFIG}
 * for the test JVM: the native Helm reads the environment of the process.
 */
final class LookupCluster implements BeforeAllCallback, AfterAllCallback {
  private KubernetesMockServer server;
  private KubernetesClient client;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    server = MockApi.start(InetAddress.getLoopbackAddress(), 0, new SecretsApi());
    client = server.createClient();
    Path kubeconfig = kubeconfig();
    Files.createDirectories(kubeconfig.getParent());
    Files.writeString(kubeconfig, kubeconfigYaml(server.url("/").replaceAll("/$", "")));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    client.close();
    server.destroy();
  }

  KubernetesClient client() {
    return client;
  }

  /** CRUD on every path, and the discovery document of {@code v1} that lookup reads first. */
  private static final class SecretsApi extends Dispatcher {
    private final KubernetesCrudDispatcher crud = new KubernetesCrudDispatcher();
    private final String coreV1 =
        new KubernetesSerialization()
            .asJson(
                new APIResourceListBuilder()
                    .withGroupVersion("v1")
                    .addNewResource()
                    .withName("secrets")
                    .withSingularName("secret")
                    .withKind("Secret")
                    .withNamespaced(true)
                    .withVerbs("get", "list")
                    .endResource()
                    .build());

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      if (request.getPath().split("\\?")[0].equals("/api/v1"))
        return new MockResponse()
            .setResponseCode(200)
            .addHeader("Content-Type", "application/json")
            .setBody(coreV1);
      return crud.dispatch(request);
    }
  }

  private static Path kubeconfig() {
    String path = System.getenv("KUBECONFIG");
    if (path == null)
      throw new IllegalStateException(
          "KUBECONFIG is not set: run the chart tests through Maven (the pom sets it)");
    return Path.of(path);
  }

  private static String kubeconfigYaml(String url) {
    return """
        apiVersion: v1
        kind: Config
        clusters: [{name: mock, cluster: {server: "%s"}}]
        users: [{name: mock, user: {token: mock}}]
        contexts: [{name: mock, context: {cluster: mock, user: mock}}]
        current-context: mock
        """
        .formatted(url);
  }
}
