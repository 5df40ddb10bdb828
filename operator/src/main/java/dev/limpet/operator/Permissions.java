package dev.limpet.operator;

import java.util.List;

/**
 * Every Kubernetes API the operator calls, in one place: the source of {@code operator/rbac.yaml}
 * (the ClusterRole the chart installs) and of the test that checks each request the operator makes
 * against it.
 */
public final class Permissions {
  private Permissions() {}

  /** One ClusterRole rule: these verbs on these resources of one API group. */
  public record Rule(String apiGroup, List<String> resources, List<String> verbs) {
    public boolean allows(String group, String resource, String verb) {
      return apiGroup.equals(group) && resources.contains(resource) && verbs.contains(verb);
    }
  }

  private static final List<String> READ = List.of("get", "list", "watch");

  public static final List<Rule> RULES =
      List.of(
          // the custom resources: read; finalizers are added and removed by patch
          new Rule(
              "limpet.dev",
              List.of("datascripts", "persistenceprofiles", "pools", "virtualservices"),
              List.of("get", "list", "watch", "patch", "update")),
          // the default system profiles are created by the operator
          new Rule("limpet.dev", List.of("persistenceprofiles"), List.of("create")),
          new Rule(
              "limpet.dev",
              List.of(
                  "datascripts/status",
                  "persistenceprofiles/status",
                  "pools/status",
                  "virtualservices/status"),
              List.of("get", "patch", "update")),
          // a Service owned by a VirtualService is created with blockOwnerDeletion
          new Rule("limpet.dev", List.of("virtualservices/finalizers"), List.of("update")),
          // the data-plane configuration of each group
          new Rule("", List.of("configmaps"), List.of("get", "list", "watch", "create", "patch")),
          // certificate Secrets (type kubernetes.io/tls) are read; each group's TLS Secret written
          new Rule("", List.of("secrets"), List.of("get", "list", "watch", "create", "patch")),
          // Services: pools read their endpoints' Service; each VirtualService is exposed by one
          new Rule("", List.of("services"), List.of("get", "list", "watch", "create", "patch")),
          new Rule("discovery.k8s.io", List.of("endpointslices"), READ),
          // data-plane replicas (Programmed) and the labels of pool endpoints (PodLabel)
          new Rule("", List.of("pods"), READ),
          new Rule("", List.of("events"), List.of("create")),
          // leader election, and JOSDK's check of that permission at start
          new Rule(
              "coordination.k8s.io",
              List.of("leases"),
              List.of("get", "create", "update", "patch")),
          new Rule("authorization.k8s.io", List.of("selfsubjectrulesreviews"), List.of("create")));

  /**
   * Whether some rule allows {@code verb} on {@code resource} (with subresource) of {@code group}.
   */
  public static boolean allows(String group, String resource, String verb) {
    return RULES.stream().anyMatch(r -> r.allows(group, resource, verb));
  }

  /** The ClusterRole, as checked in under {@code operator/rbac.yaml}. */
  public static String clusterRoleYaml() {
    StringBuilder yaml =
        new StringBuilder(
            "# Generated from dev.limpet.operator.Permissions; PermissionsTest fails when it"
                + " drifts.\n"
                + "apiVersion: rbac.authorization.k8s.io/v1\n"
                + "kind: ClusterRole\n"
                + "metadata:\n"
                + "  name: limpet-operator\n"
                + "rules:\n");
    for (Rule rule : RULES) {
      yaml.append("  - apiGroups: [\"").append(rule.apiGroup()).append("\"]\n");
      yaml.append("    resources: [").append(String.join(", ", rule.resources())).append("]\n");
      yaml.append("    verbs: [").append(String.join(", ", rule.verbs())).append("]\n");
    }
    return yaml.toString();
  }
}
