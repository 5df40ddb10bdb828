package dev.limpet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kubectl resolves a short name to the first resource that claims it, built-in ones first: a Limpet
 * short name equal to a built-in one is never listed ({@code kubectl get ds} is DaemonSets).
 */
@Timeout(30)
class ShortNamesTest {
  /**
   * The short names of the built-in resources of Kubernetes 1.26 to 1.34 ({@code kubectl
   * api-resources} on a cluster without add-ons), with their resources' plural and singular names,
   * which kubectl also matches.
   */
  static final Set<String> BUILT_IN =
      Set.of(
          // core
          "cs",
          "componentstatuses",
          "cm",
          "configmaps",
          "ep",
          "endpoints",
          "ev",
          "events",
          "limits",
          "limitranges",
          "ns",
          "namespaces",
          "no",
          "nodes",
          "pvc",
          "persistentvolumeclaims",
          "pv",
          "persistentvolumes",
          "po",
          "pods",
          "pod",
          "podtemplates",
          "rc",
          "replicationcontrollers",
          "quota",
          "resourcequotas",
          "secrets",
          "secret",
          "sa",
          "serviceaccounts",
          "svc",
          "services",
          "service",
          "bindings",
          // apps, autoscaling, batch, policy
          "ds",
          "daemonsets",
          "deploy",
          "deployments",
          "rs",
          "replicasets",
          "sts",
          "statefulsets",
          "controllerrevisions",
          "hpa",
          "horizontalpodautoscalers",
          "cj",
          "cronjobs",
          "jobs",
          "job",
          "pdb",
          "poddisruptionbudgets",
          "psp",
          "podsecuritypolicies",
          // networking, storage, scheduling, node, certificates, apiextensions
          "ing",
          "ingresses",
          "ingressclasses",
          "netpol",
          "networkpolicies",
          "ip",
          "ipaddresses",
          "servicecidrs",
          "endpointslices",
          "sc",
          "storageclasses",
          "vac",
          "volumeattributesclasses",
          "volumeattachments",
          "csidrivers",
          "csinodes",
          "csistoragecapacities",
          "pc",
          "priorityclasses",
          "runtimeclasses",
          "csr",
          "certificatesigningrequests",
          "clustertrustbundles",
          "crd",
          "crds",
          "customresourcedefinitions",
          "apiservices",
          "leases",
          "flowschemas",
          "prioritylevelconfigurations",
          "mutatingwebhookconfigurations",
          "validatingwebhookconfigurations",
          "validatingadmissionpolicies",
          "validatingadmissionpolicybindings",
          "mutatingadmissionpolicies",
          "roles",
          "rolebindings",
          "clusterroles",
          "clusterrolebindings",
          "deviceclasses",
          "resourceclaims",
          "resourceclaimtemplates",
          "resourceslices",
          // kubectl's own aliases and categories
          "all");

  @Test
  void noLimpetShortNameIsABuiltInOne() {
    List<String> names = new ArrayList<>();
    for (String plural : List.of("persistenceprofiles", "pools", "virtualservices", "datascripts"))
      CrdRules.crd(plural).at("/spec/names/shortNames").forEach(n -> names.add(n.asText()));

    assertThat(names).containsExactlyInAnyOrder("pp", "pool", "vs", "dscript");
    assertThat(names).doesNotHaveDuplicates().noneMatch(BUILT_IN::contains);
  }
}
