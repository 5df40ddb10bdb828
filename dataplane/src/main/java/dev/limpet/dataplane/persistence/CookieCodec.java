package dev.limpet.dataplane.persistence;

import dev.limpet.dataplane.persistence.CookieKeySet.CookieKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals a server key and a creation time into an opaque, authenticated cookie value and opens it
 * again. Value: base64url without padding of {@code tag(1) | nonce(12) | AES-GCM(created epoch
 * seconds (8) | server key UTF-8) with its 16-byte auth tag}. The key tag byte and the pool the
 * value is for are authenticated too (GCM's additional data, {@code tag | "limpet-pool:" + pool}),
 * so a value issued for one pool opens in no other: a client cannot carry its pin to another
 * virtual service's pool that happens to share a server. Safe to use from any thread.
 */
public final class CookieCodec {
  private static final int NONCE_BYTES = 12;
  private static final int AUTH_TAG_BITS = 128;
  private static final int HEADER_BYTES = 1 + NONCE_BYTES;
  private static final int MIN_SEALED_BYTES = HEADER_BYTES + Long.BYTES + AUTH_TAG_BITS / 8;
  // a server key is at most a bracketed IPv6 address and a port; anything longer is not ours
  private static final int MAX_VALUE_CHARS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What a valid cookie value holds. */
  public record DecodedCookie(String serverKey, long createdAtEpochSeconds) {}

  private final CookieKeySet keys;
  private final byte[] pool;
  private final OpenedCookies opened = new OpenedCookies();

  /**
   * @param pool the name of the pool whose servers the values name; every replica must use the same
   *     (they do: it comes from the shared configuration)
   */
  public CookieCodec(CookieKeySet keys, String pool) {
    this.keys = keys;
    this.pool = ("limpet-pool:" + pool).getBytes(StandardCharsets.UTF_8);
  }

  /** A fresh value (new nonce each call) sealed with the newest key. */
  public String encode(String serverKey, long createdAtEpochSeconds) {
    CookieKey key = keys.newest();
    byte[] plain = serverKey.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(MIN_SEALED_BYTES + plain.length);
    out.put(key.tag());
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    out.put(nonce);
    try {
      Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
      cipher.doFinal(
          ByteBuffer.allocate(Long.BYTES + plain.length)
              .putLong(createdAtEpochSeconds)
              .put(plain)
              .flip(),
          out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to seal a cookie", e);
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(out.array());
  }

  /** The content of a value this key set sealed; empty for anything else. Never throws. */
  public Optional<DecodedCookie> decode(String value) {
    if (value == null || value.length() > MAX_VALUE_CHARS) return Optional.empty();
    // a character above U+00FF becomes '?', which base64url refuses, as its decoder does
    byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
    return decode(bytes, 0, bytes.length);
  }

  /**
   * The content of the value {@code b[start, end)}, one character per byte (as a header value's
   * {@code String} has it), this key set sealed; empty for anything else. Never throws.
   */
  public Optional<DecodedCookie> decode(byte[] b, int start, int end) {
    int length = end - start;
    // base64 gives at most 3 bytes per 4 characters: too short a value is refused unread
    if (length > MAX_VALUE_CHARS || length * 3 / 4 < MIN_SEALED_BYTES) return Optional.empty();
    DecodedCookie known = opened.get(b, start, end);
    if (known != null) return Optional.of(known);
    Optional<DecodedCookie> cookie = open(b, start, end);
    if (cookie.isPresent()) opened.put(b, start, end, cookie.get());
    return cookie;
  }

  private Optional<DecodedCookie> open(byte[] b, int start, int end) {
    byte[] sealed;
    try {
      sealed = Base64.getUrlDecoder().decode(Arrays.copyOfRange(b, start, end));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    if (sealed.length < MIN_SEALED_BYTES) return Optional.empty();
    byte[] nonce = Arrays.copyOfRange(sealed, 1, HEADER_BYTES);
    for (CookieKey key : keys.tagged(sealed[0])) {
      try {
        byte[] plain =
            cipher(Cipher.DECRYPT_MODE, key, nonce)
                .doFinal(sealed, HEADER_BYTES, sealed.length - HEADER_BYTES);
        ByteBuffer in = ByteBuffer.wrap(plain);
        long created = in.getLong();
        String serverKey = StandardCharsets.UTF_8.decode(in).toString();
        return Optional.of(new DecodedCookie(serverKey, created));
      } catch (GeneralSecurityException e) {
        // wrong key or tampered value: try the next key with this tag
      }
    }
    return Optional.empty();
  }

  /**
   * One cipher per thread: {@code Cipher.getInstance} looks the provider up on every call, which
   * costs more than sealing a cookie. Each use re-initialises it with the key and a fresh nonce.
   */
  private static final ThreadLocal<Cipher> CIPHERS =
      ThreadLocal.withInitial(
          () -> {
            try {
              return Cipher.getInstance("AES/GCM/NoPadding");
            } catch (GeneralSecurityException e) {
              throw new IllegalStateException("AES/GCM is part of every Java runtime", e);
            }
          });

  private Cipher cipher(int mode, CookieKey key, byte[] nonce) throws GeneralSecurityException {
    Cipher cipher = CIPHERS.get();
    cipher.init(mode, key.secret(), new GCMParameterSpec(AUTH_TAG_BITS, nonce));
    cipher.updateAAD(new byte[] {key.tag()});
    cipher.updateAAD(pool);
    return cipher;
  }
}
