package dev.limpet.dataplane.tls;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The persistence keys of one client connection's TLS session: one-way digests of what a resumption
 * presents, so that a table holds no secret.
 *
 * @param presented what this connection presented from an earlier session: the session it resumed,
 *     or (TLS 1.2, not resumed) the session ID it offered; a table entry under one of them names
 *     the client's server
 * @param issued what later connections will present to resume this one's session: its TLS 1.2
 *     session (by master secret and, when it has one, session ID) or each TLS 1.3 ticket it was
 *     sent
 */
public record TlsSessionKeys(List<String> presented, List<String> issued) {
  public static final TlsSessionKeys NONE = new TlsSessionKeys(List.of(), List.of());

  private static final byte[] SECRET = "limpet tls secret ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SESSION_ID =
      "limpet tls session-id ".getBytes(StandardCharsets.US_ASCII);

  /** Digest length in bytes: 128 bits, as unlikely to collide as a random session ID. */
  private static final int KEY_BYTES = 16;

  public TlsSessionKeys {
    presented = List.copyOf(presented);
    issued = List.copyOf(issued);
  }

  /** Every key, presented first, each once. */
  public Set<String> all() {
    Set<String> all = new LinkedHashSet<>(presented);
    all.addAll(issued);
    return all;
  }

  /** The key of a resumption secret (TLS 1.2 master secret, TLS 1.3 ticket key). */
  static String ofSecret(byte[] secret) {
    return digest(SECRET, secret);
  }

  /** The key of a TLS 1.2 session ID. */
  static String ofSessionId(byte[] sessionId) {
    return digest(SESSION_ID, sessionId);
  }

  private static String digest(byte[] label, byte[] value) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(label);
      byte[] digest = sha256.digest(value);
      return HexFormat.of().formatHex(digest, 0, KEY_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
