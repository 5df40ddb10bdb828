package dev.limpet.operator;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A request the operator made to the (mock) API server, as RBAC sees it: API group, resource (with
 * subresource) and verb.
 */
public record ApiCall(String group, String resource, String verb, String requestLine) {

  /** The User-Agent of the operator's client in tests, which tells its requests apart. */
  public static final String OPERATOR_AGENT = "limpet-operator-under-test";

  /** A client of the mock server whose requests {@link #drain} keeps. */
  public static KubernetesClient operatorClient(KubernetesClient testClient) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder(testClient.getConfiguration()).withUserAgent(OPERATOR_AGENT).build())
        .build();
  }

  /**
   * Every request the mock server has received from {@link #operatorClient}s since the last call,
   * as RBAC sees them.
   */
  public static List<ApiCall> drain(KubernetesMockServer server) throws InterruptedException {
    List<ApiCall> calls = new ArrayList<>();
    for (var r = server.takeRequest(10, TimeUnit.MILLISECONDS);
        r != null;
        r = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
      if (OPERATOR_AGENT.equals(r.getHeader("User-Agent")))
        of(r.getMethod(), r.getPath()).ifPresent(calls::add);
    }
    return calls;
  }

  /**
   * The RBAC view of a request; empty for discovery paths ({@code /apis/<group>/<version>}), which
   * every authenticated user may read.
   */
  public static Optional<ApiCall> of(String method, String pathAndQuery) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q + 1);
    List<String> parts = new ArrayList<>(Arrays.asList(path.substring(1).split("/")));
    String group;
    if (parts.get(0).equals("api")) {
      group = "";
      parts = parts.subList(2, parts.size());
    } else if (parts.get(0).equals("apis") && parts.size() > 3) {
      group = parts.get(1);
      parts = parts.subList(3, parts.size());
    } else {
      return Optional.empty();
    }
    if (parts.size() >= 2 && parts.get(0).equals("namespaces") && parts.size() > 2)
      parts = parts.subList(2, parts.size());
    if (parts.isEmpty()) return Optional.empty();
    String resource = parts.size() >= 3 ? parts.get(0) + "/" + parts.get(2) : parts.get(0);
    boolean item = parts.size() >= 2;
    String verb =
        switch (method) {
          case "GET" -> item ? "get" : query.contains("watch=true") ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> item ? "delete" : "deletecollection";
          default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    return Optional.of(new ApiCall(group, resource, verb, method + " " + pathAndQuery));
  }
}
