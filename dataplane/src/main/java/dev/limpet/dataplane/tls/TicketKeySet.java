package dev.limpet.dataplane.tls;

import dev.limpet.dataplane.keys.KeyFile;
import io.netty.handler.ssl.OpenSslSessionTicketKey;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The TLS session ticket keys, newest first: new tickets are sealed with the newest, every key
 * still opens the tickets it sealed, so keys rotate by prepending a new one. Every replica that
 * loads the same keys resumes every other replica's sessions.
 *
 * <p>The key file, mounted from a Kubernetes Secret: {@code {"ticketKeys":[{"id":"2026-11-02",
 * "secret":"<base64 of 48 random bytes>"}, ...]}}. The 48 bytes are, in order, the key's name (16,
 * written in clear into each ticket), its HMAC-SHA256 key (16) and its AES-128 key (16): OpenSSL's
 * and nginx's layout.
 */
public final class TicketKeySet {
  static final int NAME_BYTES = 16;
  private static final int KEY_BYTES = 48;
  private static final int IV_BYTES = 16;
  private static final int MAC_BYTES = 32;

  /** One key. */
  record TicketKey(String id, byte[] name, byte[] hmacKey, byte[] aesKey) {}

  private final List<TicketKey> keys;
  private final boolean random;

  private TicketKeySet(List<TicketKey> keys, boolean random) {
    this.keys = List.copyOf(keys);
    this.random = random;
  }

  /**
   * Parses a key file's text, failing with a message that names {@code where} and the faulty field.
   */
  public static TicketKeySet parse(String json, String where) {
    List<TicketKey> keys = new ArrayList<>();
    Set<String> names = new HashSet<>();
    List<KeyFile.Entry> entries = KeyFile.parse(json, "ticketKeys", Set.of(KEY_BYTES), where);
    for (int i = 0; i < entries.size(); i++) {
      TicketKey key = key(entries.get(i).id(), entries.get(i).secret());
      if (!names.add(Base64.getEncoder().encodeToString(key.name())))
        throw new IllegalArgumentException(
            where
                + ": ticketKeys["
                + i
                + "].secret: its first 16 bytes (the key's name) equal another key's");
      keys.add(key);
    }
    return new TicketKeySet(keys, false);
  }

  /**
   * One fresh random key, for a data plane without a key file: its tickets resume on this process
   * only.
   */
  public static TicketKeySet random() {
    byte[] secret = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(secret);
    return new TicketKeySet(List.of(key("random", secret)), true);
  }

  /** Whether these keys were made at random by this process rather than read from a file. */
  public boolean isRandom() {
    return random;
  }

  /** The key ids, newest first, for logs. */
  public List<String> ids() {
    return keys.stream().map(TicketKey::id).toList();
  }

  /** The keys as netty-tcnative takes them: the first seals new tickets. */
  public OpenSslSessionTicketKey[] forOpenSsl() {
    return keys.stream()
        .map(k -> new OpenSslSessionTicketKey(k.name(), k.hmacKey(), k.aesKey()))
        .toArray(OpenSslSessionTicketKey[]::new);
  }

  /**
   * The sealed content of a ticket these keys made, or null when none of them made it or it was
   * tampered with. A ticket is {@code name(16) | iv(16) | AES-128-CBC(content) | HMAC-SHA256(all
   * before)}, the format RFC 5077 recommends and BoringSSL and OpenSSL write with static keys.
   */
  public byte[] open(byte[] ticket) {
    if (ticket.length < NAME_BYTES + IV_BYTES + 16 + MAC_BYTES) return null;
    byte[] name = Arrays.copyOf(ticket, NAME_BYTES);
    for (TicketKey key : keys) {
      if (!Arrays.equals(key.name(), name)) continue;
      try {
        int macAt = ticket.length - MAC_BYTES;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.hmacKey(), "HmacSHA256"));
        mac.update(ticket, 0, macAt);
        if (!MessageDigest.isEqual(mac.doFinal(), Arrays.copyOfRange(ticket, macAt, ticket.length)))
          return null;
        Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
        aes.init(
            Cipher.DECRYPT_MODE,
            new SecretKeySpec(key.aesKey(), "AES"),
            new IvParameterSpec(ticket, NAME_BYTES, IV_BYTES));
        return aes.doFinal(ticket, NAME_BYTES + IV_BYTES, macAt - NAME_BYTES - IV_BYTES);
      } catch (GeneralSecurityException e) {
        return null;
      }
    }
    return null;
  }

  private static TicketKey key(String id, byte[] secret) {
    return new TicketKey(
        id,
        Arrays.copyOfRange(secret, 0, 16),
        Arrays.copyOfRange(secret, 16, 32),
        Arrays.copyOfRange(secret, 32, 48));
  }
}
