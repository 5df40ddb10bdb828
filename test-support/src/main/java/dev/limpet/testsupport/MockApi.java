package dev.limpet.testsupport;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Queue;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * fabric8's mock API server as the tests and the local run set it up: plain HTTP on a given address
 * (CRUD mode: it stores what it is given and serves watches; it runs no controllers and checks
 * neither RBAC nor schemas), its stubs, and the environment that points a child process's fabric8
 * client at it. The module using it brings {@code kubernetes-server-mock} itself.
 */
public final class MockApi {
  // the mock server logs every request it answers through java.util.logging; held so it stays set
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private MockApi() {}

  /**
   * A started mock server in CRUD mode that also answers what a test {@code expect()}s, as
   * {@code @EnableKubernetesMockClient(crud = true)} makes one, on {@code address} and {@code port}
   * (0: a free one).
   */
  public static KubernetesMockServer crud(InetAddress address, int port) {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    return start(address, port, expectations, new KubernetesMixedDispatcher(expectations));
  }

  /**
   * A started mock server answering through {@code dispatcher} (a {@code KubernetesCrudDispatcher}
   * kept by the test keeps its store across a restart on the same port).
   */
  public static KubernetesMockServer start(InetAddress address, int port, Dispatcher dispatcher) {
    return start(address, port, new HashMap<>(), dispatcher);
  }

  private static KubernetesMockServer start(
      InetAddress address,
      int port,
      Map<ServerRequest, Queue<ServerResponse>> expectations,
      Dispatcher dispatcher) {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    var server =
        new KubernetesMockServer(
            new Context(), new MockWebServer(), expectations, dispatcher, false);
    server.init(address, port);
    return server;
  }

  /**
   * The RBAC stub: JOSDK asks whether it may use Leases before it takes one (a
   * SelfSubjectRulesReview); the mock server cannot evaluate RBAC, so it answers what the chart's
   * ClusterRole grants, every time.
   */
  public static void grantLeaseAccess(KubernetesMockServer server) {
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

  /**
   * The environment that points a fabric8 client in a child process at {@code url}, in {@code
   * namespace}, with neither a kubeconfig nor a service account.
   */
  public static Map<String, String> clientEnvironment(String url, String namespace) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("KUBERNETES_MASTER", url);
    env.put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    env.put("KUBERNETES_AUTH_TRYSERVICEACCOUNT", "false");
    env.put("KUBERNETES_NAMESPACE", namespace);
    return env;
  }
}
