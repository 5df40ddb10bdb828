package dev.limpet.e2e.local;

import dev.limpet.testsupport.MockApi;
import dev.limpet.testsupport.Relay;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * The embedded Kubernetes API: fabric8's mock API server in CRUD mode (it stores what it is given
 * and serves watches; it runs no controllers and checks neither RBAC nor schemas), reached by the
 * operator and the data planes through a {@link Relay} that can cut them off.
 */
final class ApiServer implements AutoCloseable {
  private final KubernetesMockServer server;
  private final Relay relay;
  private final KubernetesClient client;

  ApiServer(InetSocketAddress listen) throws IOException {
    server = MockApi.crud(InetAddress.getByName(listen.getHostString()), 0);
    MockApi.grantLeaseAccess(server);
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
    return MockApi.clientEnvironment(url(), "default");
  }

  /** Makes the API unreachable for the operator and the data planes until {@link #reconnect}. */
  void disconnect() {
    relay.cut();
  }

  void reconnect() {
    relay.heal();
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
