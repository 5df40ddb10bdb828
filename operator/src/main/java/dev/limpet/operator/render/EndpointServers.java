package dev.limpet.operator.render;

import dev.limpet.contract.ServerConfig;
import dev.limpet.operator.api.PoolSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Turns a Service's EndpointSlices into pool servers. A ready endpoint is a server; a serving but
 * terminating endpoint is a draining server (it keeps persisted clients only); any other endpoint
 * is left out.
 */
public final class EndpointServers {
  private EndpointServers() {}

  /**
   * The servers of {@code ref}, or why there are none.
   *
   * @param podLabels a pod's labels by pod name, for {@code headerValueFrom: PodLabel}
   */
  public static Resolution resolve(
      PoolSpec.ServiceRef ref,
      Service service,
      Collection<EndpointSlice> slices,
      Function<String, Map<String, String>> podLabels) {
    Optional<ServicePort> port = servicePort(service, ref.port());
    if (port.isEmpty()) {
      IntOrString p = ref.port();
      String wanted =
          p.getIntVal() != null ? "port " + p.getIntVal() : "port named '" + p.getStrVal() + "'";
      return new Resolution(
          List.of(), Optional.of("Service '" + ref.name() + "' has no " + wanted));
    }
    String portName = Objects.requireNonNullElse(port.get().getName(), "");
    Map<String, ServerConfig> byKey = new LinkedHashMap<>();
    for (EndpointSlice slice : slices) {
      if ("FQDN".equals(slice.getAddressType())) continue;
      Optional<Integer> number = slicePort(slice, portName);
      if (number.isEmpty()) continue;
      for (Endpoint endpoint : Optional.ofNullable(slice.getEndpoints()).orElse(List.of())) {
        Optional<Boolean> draining = state(endpoint);
        if (draining.isEmpty()) continue;
        for (String ip : Optional.ofNullable(endpoint.getAddresses()).orElse(List.of())) {
          ServerConfig server =
              new ServerConfig(
                  podName(endpoint),
                  ip,
                  number.get(),
                  ref.ratio() == null ? 0 : ref.ratio(),
                  true,
                  draining.get(),
                  headerValue(ref, endpoint, podLabels));
          // an endpoint can sit in two slices while it moves; the ready copy wins
          byKey.merge(server.key(), server, (a, b) -> a.draining() ? b : a);
        }
      }
    }
    List<ServerConfig> servers =
        byKey.values().stream()
            .sorted(Comparator.comparing(ServerConfig::ip).thenComparing(ServerConfig::port))
            .toList();
    return new Resolution(servers, Optional.empty());
  }

  /**
   * @param servers the servers, sorted by address
   * @param problem why the Service gives no servers at all (a port it does not have)
   */
  public record Resolution(List<ServerConfig> servers, Optional<String> problem) {}

  private static Optional<ServicePort> servicePort(Service service, IntOrString wanted) {
    if (service.getSpec() == null || service.getSpec().getPorts() == null) return Optional.empty();
    return service.getSpec().getPorts().stream()
        .filter(
            p ->
                wanted.getIntVal() != null
                    ? wanted.getIntVal().equals(p.getPort())
                    : wanted.getStrVal().equals(p.getName()))
        .findFirst();
  }

  private static Optional<Integer> slicePort(EndpointSlice slice, String name) {
    return Optional.ofNullable(slice.getPorts()).orElse(List.of()).stream()
        .filter(p -> name.equals(Objects.requireNonNullElse(p.getName(), "")))
        .map(EndpointPort::getPort)
        .filter(Objects::nonNull)
        .findFirst();
  }

  /** Empty: not a server; false: up; true: draining. */
  private static Optional<Boolean> state(Endpoint endpoint) {
    var c = endpoint.getConditions();
    // a nil condition means unknown, which the EndpointSlice API says to read as ready/serving
    boolean ready = c == null || c.getReady() == null || c.getReady();
    boolean serving = c == null || c.getServing() == null ? ready : c.getServing();
    boolean terminating = c != null && Boolean.TRUE.equals(c.getTerminating());
    if (ready && !terminating) return Optional.of(false);
    if (serving && terminating) return Optional.of(true);
    return Optional.empty();
  }

  private static String podName(Endpoint endpoint) {
    var ref = endpoint.getTargetRef();
    return ref != null && "Pod".equals(ref.getKind()) ? ref.getName() : null;
  }

  private static String headerValue(
      PoolSpec.ServiceRef ref, Endpoint endpoint, Function<String, Map<String, String>> podLabels) {
    if (ref.headerValueFrom() == null) return null;
    return switch (ref.headerValueFrom()) {
      case PodName -> podName(endpoint);
      case Hostname -> endpoint.getHostname();
      case PodLabel -> {
        String pod = podName(endpoint);
        yield pod == null ? null : podLabels.apply(pod).get(ref.headerValueLabel());
      }
    };
  }
}
