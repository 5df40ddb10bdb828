package dev.limpet.e2e.local;

import dev.limpet.testsupport.Relay;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;

/**
 * The embedded Kubernetes API: fabric8's mock API server in CRUD mode (it stores what it is given
 * and serves watches; it runs no controllers and checks neither RBAC nor schemas), reached by the
 * operator and the data planes through a {@link Relay} that can cut them off.
 */
final class ApiServer implements AutoCloseable {
  // the mock server logs every request it answers through java.util.logging; held so it stays set
  private static final java.util.logging.Logger MOCK_SERVER_LOG =
      java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final Relay relay;
  private final KubernetesClient client;

  ApiServer(InetSocketAddress listen) throws IOException {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    server =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            expectations,
            new KubernetesMixedDispatcher(expectations),
            false);
    server.init(InetAddress.getByName(listen.getHostString()), 0);
    answerLeaseAccessReview();
    try {
      relay =
          new Relay(listen, new InetSocketAddress(listen.getHostString(), server.getPort()))
              .resetWhenCut();
    } catch (IOException e) {
      server.destroy();
      throw new IOException("cannot listen on " + listen + " (is a local run going on?)", e);
    }
    client = new KubernetesClientBuilder().withConfig(config(directUrl())).build();
  }

  /** A client that talks to the API directly, past the relay (the local kubelet's view). */
  KubernetesClient client() {
    return client;
  }

  /** Where the operator and the data planes reach the API. */
  String url() {
    return "http://" + relay.address().getHostString() + ":" + relay.address().getPort();
  }

  /** The environment that points a fabric8 client in a child process at {@link #url}. */
  Map<String, String> clientEnvironment() {
    return Map.of(
        "KUBERNETES_MASTER", url(),
        "KUBERNETES_AUTH_TRYKUBECONFIG", "false",
        "KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false",
        "KUBERNETES_NAMESPACE", "default");
  }

  /** Makes the API unreachable for the operator and the data planes until {@link #reconnect}. */
  void disconnect() {
    relay.cut();
  }

  void reconnect() {
    relay.heal();
  }

  /**
   * The operator asks whether it may use Leases before it takes one (a SelfSubjectRulesReview); the
   * mock server cannot evaluate RBAC, so it answers what the chart's ClusterRole grants.
   */
  private void answerLeaseAccessReview() {
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(
            201,
            new SelfSubjectRulesReviewBuilder()
                .withNewStatus()
                .addNewResourceRule()
                .withApiGroups("coordination.k8s.io")
                .withResources("leases")
                .withVerbs("get", "create", "update", "patch")
                .endResourceRule()
                .withIncomplete(false)
                .endStatus()
                .build())
        .always();
  }

  private String directUrl() {
    return "http://" + server.getHostName() + ":" + server.getPort();
  }

  private static Config config(String url) {
    return new ConfigBuilder(Config.empty())
        .withMasterUrl(url)
        .withNamespace("default")
        .withRequestTimeout(10_000)
        .build();
  }

  @Override
  public void close() throws IOException {
    client.close();
    relay.close();
    server.destroy();
  }
}
