package dev.limpet.operator.rollout;

import dev.limpet.contract.DataPlaneGroup;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the operator finds the data-plane replicas of a group: pods in the group's namespace labelled
 * {@code app.kubernetes.io/name: limpet-dataplane} and {@code limpet.dev/data-plane-group: <group>}
 * (the chart labels them so). A replica's admin port is its container port named {@code admin},
 * 9901 when there is none.
 */
public final class DataPlanePods {
  public static final String NAME_LABEL = "app.kubernetes.io/name";
  public static final String NAME = DataPlaneGroup.APP_NAME;
  public static final String GROUP_LABEL = "limpet.dev/data-plane-group";
  public static final String ADMIN_PORT_NAME = "admin";
  public static final int DEFAULT_ADMIN_PORT = 9901;

  /** The data plane's peer port ({@code --peer-listen}) as the chart runs it. */
  public static final int DEFAULT_PEER_PORT = 9902;

  private DataPlanePods() {}

  /** A ready replica: where its admin port answers. */
  public record Replica(String pod, String ip, int adminPort) {}

  /** The label selector of every data-plane pod, whatever its group. */
  public static String selector() {
    return NAME_LABEL + "=" + NAME;
  }

  /** The labels that select the pods of {@code group}. */
  public static Map<String, String> selector(String group) {
    return Map.of(NAME_LABEL, NAME, GROUP_LABEL, group);
  }

  /** The group of a data-plane pod; empty for any other pod. */
  public static Optional<String> group(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    if (labels == null || !NAME.equals(labels.get(NAME_LABEL))) return Optional.empty();
    return Optional.ofNullable(labels.get(GROUP_LABEL));
  }

  /** The pod as a replica, when it is ready (condition Ready True, an IP, not terminating). */
  public static Optional<Replica> ready(Pod pod) {
    var status = pod.getStatus();
    if (status == null || status.getPodIP() == null) return Optional.empty();
    if (pod.getMetadata().getDeletionTimestamp() != null) return Optional.empty();
    boolean ready =
        Optional.ofNullable(status.getConditions()).orElse(List.of()).stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    if (!ready) return Optional.empty();
    return Optional.of(new Replica(pod.getMetadata().getName(), status.getPodIP(), adminPort(pod)));
  }

  private static int adminPort(Pod pod) {
    if (pod.getSpec() == null || pod.getSpec().getContainers() == null) return DEFAULT_ADMIN_PORT;
    return pod.getSpec().getContainers().stream()
        .flatMap(c -> Optional.ofNullable(c.getPorts()).orElse(List.of()).stream())
        .filter(p -> ADMIN_PORT_NAME.equals(p.getName()))
        .map(p -> p.getContainerPort())
        .filter(Objects::nonNull)
        .findFirst()
        .orElse(DEFAULT_ADMIN_PORT);
  }
}
