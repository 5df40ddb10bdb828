package dev.limpet.operator.render;

import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.api.VirtualServiceSpec;
import dev.limpet.operator.index.Indexes;
import dev.limpet.operator.rollout.DataPlanePods;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Kubernetes Service that exposes a VirtualService: {@code limpet-vs-<name>}, owned by it (so
 * deleted with it), of the type its spec asks (ClusterIP by default), one TCP port equal to the
 * virtual service's port, selecting the data-plane pods of its group. Labelled {@value
 * #VIRTUAL_SERVICE_LABEL} with the VirtualService's name.
 */
public final class ExposureService {
  public static final String VIRTUAL_SERVICE_LABEL = "limpet.dev/virtual-service";
  public static final String PORT_NAME = "listener";
  private static final int MAX_NAME = 63;
  private static final String PREFIX = "limpet-vs-";

  private ExposureService() {}

  /** The Service's name: a DNS label, so dots become dashes and a long name is shortened. */
  public static String name(VirtualService vs) {
    String name = PREFIX + vs.getMetadata().getName().replace('.', '-');
    if (name.length() <= MAX_NAME) return name;
    String hash = ConfigDocument.digest(vs.getMetadata().getName()).substring(0, 8);
    return name.substring(0, MAX_NAME - hash.length() - 1).replaceAll("-+$", "") + "-" + hash;
  }

  public static Service desired(VirtualService vs) {
    VirtualServiceSpec.Exposure exposure =
        Optional.ofNullable(vs.getSpec().service())
            .orElse(new VirtualServiceSpec.Exposure(null, null));
    var meta = vs.getMetadata();
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(name(vs))
        .withNamespace(meta.getNamespace())
        .addToLabels(VIRTUAL_SERVICE_LABEL, meta.getName())
        .addToLabels(DataPlanePods.GROUP_LABEL, Indexes.group(vs))
        .addToLabels("app.kubernetes.io/managed-by", "limpet-operator")
        .addToAnnotations(exposure.annotations() == null ? Map.of() : exposure.annotations())
        .withOwnerReferences(
            new OwnerReferenceBuilder()
                .withApiVersion(vs.getApiVersion())
                .withKind(vs.getKind())
                .withName(meta.getName())
                .withUid(meta.getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build())
        .endMetadata()
        .withNewSpec()
        .withType(type(exposure).name())
        .withExternalTrafficPolicy(trafficPolicy(exposure))
        .withSelector(DataPlanePods.selector(Indexes.group(vs)))
        .addNewPort()
        .withName(PORT_NAME)
        .withProtocol("TCP")
        .withPort(vs.getSpec().port())
        .withTargetPort(new IntOrString(vs.getSpec().port()))
        .withNodePort(exposure.nodePort())
        .endPort()
        .endSpec()
        .build();
  }

  /**
   * The policy of an externally reachable Service: the spec's, else Kubernetes' default (Cluster),
   * so that removing Local from the spec puts Cluster back; none on a ClusterIP Service.
   */
  private static String trafficPolicy(VirtualServiceSpec.Exposure exposure) {
    if (type(exposure) == VirtualServiceSpec.ServiceType.ClusterIP) return null;
    return exposure.externalTrafficPolicy() == null
        ? VirtualServiceSpec.TrafficPolicy.Cluster.name()
        : exposure.externalTrafficPolicy().name();
  }

  /**
   * Whether {@code actual} already is what {@link #desired} says, ignoring what the API server
   * fills in (cluster IP, an assigned node port).
   */
  public static boolean matches(Service actual, Service desired) {
    var a = actual.getSpec();
    var d = desired.getSpec();
    if (a == null || !Objects.equals(a.getType(), d.getType())) return false;
    if (!Objects.equals(a.getSelector(), d.getSelector())) return false;
    if (a.getPorts() == null || a.getPorts().size() != 1) return false;
    ServicePort ap = a.getPorts().get(0);
    ServicePort dp = d.getPorts().get(0);
    boolean nodePortOk = dp.getNodePort() == null || dp.getNodePort().equals(ap.getNodePort());
    if (!Objects.equals(a.getExternalTrafficPolicy(), d.getExternalTrafficPolicy())) return false;
    var have = actual.getMetadata().getAnnotations();
    var want = desired.getMetadata().getAnnotations();
    if (want != null
        && !want.isEmpty()
        && (have == null || !have.entrySet().containsAll(want.entrySet()))) return false;
    var owners = actual.getMetadata().getOwnerReferences();
    return Objects.equals(ap.getPort(), dp.getPort())
        && Objects.equals(ap.getTargetPort(), dp.getTargetPort())
        && nodePortOk
        && owners != null
        && owners.stream()
            .anyMatch(
                o ->
                    o.getUid() != null
                        && o.getUid()
                            .equals(desired.getMetadata().getOwnerReferences().get(0).getUid()));
  }

  /**
   * Where clients reach the virtual service through {@code service}: {@code <cluster IP>:<port>},
   * {@code <load-balancer IP or host>:<port>}, or {@code *:<node port>} (any node); empty until the
   * API server or the load balancer has assigned it.
   */
  public static Optional<String> address(Service service) {
    var spec = service.getSpec();
    if (spec == null || spec.getPorts() == null || spec.getPorts().isEmpty())
      return Optional.empty();
    ServicePort port = spec.getPorts().get(0);
    switch (Objects.requireNonNullElse(spec.getType(), "ClusterIP")) {
      case "LoadBalancer" -> {
        var lb = service.getStatus() == null ? null : service.getStatus().getLoadBalancer();
        if (lb == null || lb.getIngress() == null) return Optional.empty();
        return lb.getIngress().stream()
            .map(i -> i.getIp() != null ? i.getIp() : i.getHostname())
            .filter(Objects::nonNull)
            .findFirst()
            .map(host -> hostPort(host, port.getPort()));
      }
      case "NodePort" -> {
        return Optional.ofNullable(port.getNodePort()).map(p -> "*:" + p);
      }
      default -> {
        String ip = spec.getClusterIP();
        return ip == null || ip.isEmpty() || ip.equals("None")
            ? Optional.empty()
            : Optional.of(hostPort(ip, port.getPort()));
      }
    }
  }

  private static VirtualServiceSpec.ServiceType type(VirtualServiceSpec.Exposure exposure) {
    return exposure.type() == null ? VirtualServiceSpec.ServiceType.ClusterIP : exposure.type();
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
