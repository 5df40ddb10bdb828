package dev.limpet.operator.reconciler;

import dev.limpet.contract.PersistenceProfileConfig.CustomHeader;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.PersistenceProfileSpec;
import dev.limpet.operator.index.NamespaceView;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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

  /**
   * The profiles created a moment ago, which the cache may not show yet: each Pool reconciled in
   * that moment would otherwise create them again (and get 409 Conflict). Forgotten once the cache
   * shows one (or its deletion), or after {@link #CACHE_LAG}, so a profile deleted later is created
   * again.
   */
  static final class Created {
    static final Duration CACHE_LAG = Duration.ofSeconds(10);
    private final Map<String, Instant> at = new ConcurrentHashMap<>();
    private final Clock clock;

    Created(Clock clock) {
      this.clock = clock;
    }

    /** The cache shows an event of {@code profile} (created, changed or deleted): forgotten. */
    void seen(PersistenceProfile profile) {
      at.remove(profile.getMetadata().getNamespace() + "/" + profile.getMetadata().getName());
    }

    /** Creates the default profiles {@code view} does not hold; one that exists is left alone. */
    void ensure(KubernetesClient client, String namespace, NamespaceView view) {
      for (PersistenceProfile profile : defaults(namespace)) {
        String key = namespace + "/" + profile.getMetadata().getName();
        if (view.profile(profile.getMetadata().getName()).isPresent()) {
          at.remove(key);
          continue;
        }
        Instant now = clock.instant();
        // claimed before the create: Pools reconciled at once create each profile once
        Instant created = at.putIfAbsent(key, now);
        if (created != null) {
          if (created.plus(CACHE_LAG).isAfter(now) || !at.replace(key, created, now)) continue;
        }
        try {
          new OwnedObjects(client).create(profile);
        } catch (RuntimeException e) {
          at.remove(key, now); // not created: the retried reconcile tries again
          throw e;
        }
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
