package dev.limpet.dataplane.persistence;

import dev.limpet.dataplane.keys.KeyFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES keys that seal HttpCookie persistence values, newest first: new cookies use the newest,
 * every key still opens the cookies it sealed, so keys rotate by prepending a new one.
 *
 * <p>The key file, mounted from a Kubernetes Secret: {@code {"cookieKeys":[{"id":"2025-11",
 * "secret":"<base64 of 16 or 32 bytes>"}, ...]}}.
 */
public final class CookieKeySet {
  private final List<CookieKey> keys;

  /** One key; {@code tag} is the byte that names it inside a cookie value. */
  record CookieKey(String id, byte tag, SecretKey secret) {}

  private CookieKeySet(List<CookieKey> keys) {
    this.keys = List.copyOf(keys);
  }

  /** Reads a key file, failing with a message that names the file and the faulty field. */
  public static CookieKeySet load(Path file) throws IOException {
    String where = "cookie key file " + file;
    String json;
    try {
      json = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException(where + ": " + e.getMessage(), e);
    }
    List<CookieKey> keys = new ArrayList<>();
    for (KeyFile.Entry entry : KeyFile.parse(json, "cookieKeys", Set.of(16, 32), where))
      keys.add(key(entry.id(), entry.secret()));
    return new CookieKeySet(keys);
  }

  /**
   * One fresh random 256-bit key, for a standalone data plane without a key file: its cookies do
   * not survive a restart and no other replica can read them.
   */
  public static CookieKeySet random() {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new CookieKeySet(List.of(key("random", secret)));
  }

  static CookieKeySet of(List<CookieKey> keys) {
    if (keys.isEmpty()) throw new IllegalArgumentException("no cookie keys");
    return new CookieKeySet(keys);
  }

  /**
   * A key whose tag is derived from its id, so every replica that loads the same file agrees. Two
   * ids may share a tag; decoding then tries both.
   */
  static CookieKey key(String id, byte[] secret) {
    try {
      byte tag =
          MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8))[0];
      return new CookieKey(id, tag, new SecretKeySpec(secret, "AES"));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  CookieKey newest() {
    return keys.get(0);
  }

  /** Every key with this tag, newest first. */
  List<CookieKey> tagged(byte tag) {
    List<CookieKey> found = new ArrayList<>(1);
    for (CookieKey key : keys) if (key.tag() == tag) found.add(key);
    return found;
  }

  /** The key ids, newest first, for logs. */
  public List<String> ids() {
    return keys.stream().map(CookieKey::id).toList();
  }
}
