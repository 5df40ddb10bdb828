package dev.limpet.operator.index;

import dev.limpet.contract.DataPlaneGroup;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The naming and reading of the Secret that carries a data-plane group's certificates ({@code
 * limpet-dataplane-<group>-tls}), which the group's replicas watch.
 */
public final class GroupSecrets {
  private GroupSecrets() {}

  public static String name(String group) {
    return DataPlaneGroup.tlsSecretName(group);
  }

  /** A Secret's data, decoded (key to text). */
  public static Map<String, String> decoded(Secret secret) {
    Map<String, String> data = new HashMap<>();
    if (secret.getData() != null)
      secret
          .getData()
          .forEach(
              (k, v) ->
                  data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
    if (secret.getStringData() != null) data.putAll(secret.getStringData());
    return data;
  }
}
