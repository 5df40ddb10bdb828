package dev.limpet.operator.reconciler;

import dev.limpet.dataplane.config.PersistenceProfileConfig.CustomHeader;
import dev.limpet.dataplane.config.PersistenceProfileConfig.Type;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.PersistenceProfileSpec;
import dev.limpet.operator.index.NamespaceView;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;

/**
 * The default system PersistenceProfiles: one per persistence type, in every namespace that has a
 * Pool (references never leave their namespace, so a Pool can only name a profile of its own). They
 * are labelled {@value #LABEL}: the webhook refuses their deletion, and without the webhook the
 * operator creates them again once deleted. Their specs are the users' to edit: the operator only
 * ever creates a missing one, never overwrites.
 */
public final class SystemProfiles {
  /** The label that marks a default system profile. */
  public static final String LABEL = "limpet.dev/system";

  /** The header a server's headerValue is matched against by the CustomHeader system profile. */
  public static final String CUSTOM_HEADER = "X-Limpet-Server";

  private SystemProfiles() {}

  public static boolean isSystem(Map<String, String> labels) {
    return labels != null && "true".equals(labels.get(LABEL));
  }

  /** The profiles as first created in {@code namespace}, with every setting at its default. */
  public static List<PersistenceProfile> defaults(String namespace) {
    return List.of(
        profile(namespace, "system-client-ip", Type.ClientIP, null),
        profile(namespace, "system-http-cookie", Type.HttpCookie, null),
        profile(namespace, "system-app-cookie", Type.AppCookie, null),
        profile(
            namespace, "system-custom-header", Type.CustomHeader, new CustomHeader(CUSTOM_HEADER)));
  }

  /** Creates the default profiles {@code view} does not hold; one that exists is left as it is. */
  public static void ensure(KubernetesClient client, String namespace, NamespaceView view) {
    for (PersistenceProfile profile : defaults(namespace)) {
      if (view.profile(profile.getMetadata().getName()).isPresent()) continue;
      try {
        client.resource(profile).create();
      } catch (KubernetesClientException e) {
        if (NamespaceTermination.refused(e)) return;
        // the cache lags behind a create of a moment ago
        if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) throw e;
      }
    }
  }

  private static PersistenceProfile profile(
      String namespace, String name, Type type, CustomHeader header) {
    var profile = new PersistenceProfile();
    profile.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(namespace)
            .addToLabels(LABEL, "true")
            .addToLabels(GroupPublisher.MANAGED_BY_LABEL, GroupPublisher.MANAGED_BY)
            .build());
    profile.setSpec(PersistenceProfileSpec.of(type, null, header));
    return profile;
  }
}
