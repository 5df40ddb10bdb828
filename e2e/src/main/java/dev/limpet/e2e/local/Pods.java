package dev.limpet.e2e.local;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Map;

/** The Pod objects the local kubelet writes for the processes it runs. */
final class Pods {
  private Pods() {}

  /** A pod of {@code image} on {@code ip}, not ready yet, with one named container port. */
  static Pod pod(
      String name, Map<String, String> labels, String image, String ip, String portName, int port) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(LocalSettings.NAMESPACE)
        .withLabels(labels)
        .endMetadata()
        .withNewSpec()
        .withNodeName("local")
        .addNewContainer()
        .withName("main")
        .withImage(image)
        .addNewPort()
        .withName(portName)
        .withContainerPort(port)
        .endPort()
        .endContainer()
        .endSpec()
        .withNewStatus()
        .withPhase("Running")
        .withPodIP(ip)
        .addNewCondition()
        .withType("Ready")
        .withStatus("False")
        .withLastTransitionTime(Instant.now().toString())
        .endCondition()
        .endStatus()
        .build();
  }

  /** Writes the pod's Ready condition, as the kubelet does after its readiness probe. */
  static void setReady(KubernetesClient kube, String name, boolean ready) {
    kube.pods()
        .inNamespace(LocalSettings.NAMESPACE)
        .withName(name)
        .editStatus(
            pod -> {
              PodCondition condition = pod.getStatus().getConditions().get(0);
              condition.setStatus(ready ? "True" : "False");
              condition.setLastTransitionTime(Instant.now().toString());
              return pod;
            });
  }
}
