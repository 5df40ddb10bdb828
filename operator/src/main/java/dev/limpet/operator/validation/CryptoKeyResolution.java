package dev.limpet.operator.validation;

import dev.limpet.contract.DataScriptConfig;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.index.NamespaceView;
import dev.limpet.operator.index.SharedInformers;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The bytes of a DataScript's crypto keys, each from its Secret when that holds a usable key (16,
 * 24 or 32 bytes), else the last good copy its data-plane group's Secret still holds, so that a
 * deleted or broken Secret never stops a script that ran. What is wrong with each is reported
 * either way.
 *
 * @param keys the bytes of each key that has some, by key name
 * @param missing Secrets (or keys of them) not found
 * @param notReady keys found but not usable, each with why
 * @param complete every key has bytes
 */
public record CryptoKeyResolution(
    Map<String, byte[]> keys, List<String> missing, List<String> notReady, boolean complete) {
  /** The label a Secret needs for its keys to be crypto keys (see {@link SharedInformers}). */
  public static final String LABEL = SharedInformers.CRYPTO_KEY_LABEL;

  private static final String KEPT = " (the data plane keeps using its last good copy)";

  /**
   * @param group the data-plane group whose last good copies may stand in, or null for none
   */
  public static CryptoKeyResolution of(DataScript script, String group, NamespaceView view) {
    var spec = script.getSpec();
    if (spec == null || spec.cryptoKeys() == null || spec.cryptoKeys().isEmpty())
      return new CryptoKeyResolution(Map.of(), List.of(), List.of(), true);
    Map<String, String> published = group == null ? Map.of() : view.publishedCertificates(group);
    Map<String, byte[]> keys = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    boolean complete = true;
    for (var key : spec.cryptoKeys()) {
      var ref = key.secretRef();
      if (key.name() == null || ref == null || ref.name() == null || ref.key() == null)
        continue; // a spec problem, reported as such
      Optional<Secret> secret = view.keySecret(ref.name());
      byte[] bytes = secret.map(s -> value(s, ref.key())).orElse(null);
      String problem =
          secret.isEmpty()
              ? null
              : bytes == null
                  ? "has no key '" + ref.key() + "'"
                  : usable(bytes.length) ? null : lengthProblem(ref.key(), bytes.length);
      if (secret.isPresent() && problem == null) {
        keys.put(key.name(), bytes);
        continue;
      }
      byte[] kept =
          decode(
              published.get(
                  DataScriptConfig.CryptoKey.secretKey(
                      script.getMetadata().getName(), key.name())));
      if (kept != null) keys.put(key.name(), kept);
      else complete = false;
      String suffix = kept != null ? KEPT : "";
      if (secret.isEmpty())
        missing.add(
            "Secret '"
                + ref.name()
                + "' (labelled "
                + LABEL
                + "=true, key '"
                + ref.key()
                + "')"
                + suffix);
      else notReady.add("Secret '" + ref.name() + "' " + problem + suffix);
    }
    return new CryptoKeyResolution(keys, missing, notReady, complete);
  }

  private static boolean usable(int length) {
    return length == 16 || length == 24 || length == 32;
  }

  private static String lengthProblem(String key, int length) {
    return "key '"
        + key
        + "' holds "
        + length
        + " bytes; avi.crypto takes 16, 24 or 32 (AES) or 24 (3DES)";
  }

  /** The raw bytes of a Secret's key (binary-safe), or null. */
  private static byte[] value(Secret secret, String key) {
    if (secret.getData() != null && secret.getData().get(key) != null) {
      try {
        return Base64.getDecoder().decode(secret.getData().get(key));
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    if (secret.getStringData() != null && secret.getStringData().get(key) != null)
      return secret.getStringData().get(key).getBytes(StandardCharsets.UTF_8);
    return null;
  }

  private static byte[] decode(String base64) {
    if (base64 == null) return null;
    try {
      return Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
