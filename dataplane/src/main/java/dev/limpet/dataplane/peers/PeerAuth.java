package dev.limpet.dataplane.peers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Challenge-response with the replicas' shared secret: each side sends a random nonce and proves it
 * knows the secret with an HMAC-SHA256 over both nonces, both incarnations and its role. The secret
 * never crosses the wire; a proof is worth nothing on another connection (fresh nonces) or in the
 * other role (a peer cannot reflect our own challenge back to us).
 */
final class PeerAuth {
  /** Shorter secrets are refused: the proofs are only as strong as the secret. */
  static final int MIN_SECRET_BYTES = 16;

  private static final SecureRandom RANDOM = new SecureRandom();
  private final SecretKeySpec key;

  /** Which side of a connection a proof comes from. */
  enum Role {
    PUBLISHER,
    SUBSCRIBER
  }

  PeerAuth(byte[] secret) {
    if (secret.length < MIN_SECRET_BYTES)
      throw new IllegalArgumentException(
          "the peer secret must have at least " + MIN_SECRET_BYTES + " bytes");
    this.key = new SecretKeySpec(secret, "HmacSHA256");
  }

  static byte[] nonce() {
    byte[] nonce = new byte[Wire.NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    return nonce;
  }

  /** The proof that the side in {@code role} of this connection knows the secret. */
  byte[] proof(
      Role role,
      byte[] subscriberNonce,
      byte[] publisherNonce,
      long subscriberIncarnation,
      long publisherIncarnation) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      mac.update(("limpet-peers " + role).getBytes(StandardCharsets.US_ASCII));
      mac.update(subscriberNonce);
      mac.update(publisherNonce);
      mac.update(
          ByteBuffer.allocate(16)
              .putLong(subscriberIncarnation)
              .putLong(publisherIncarnation)
              .flip());
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** Compares in constant time, so that timing does not reveal how much of a proof was right. */
  static boolean matches(byte[] expected, byte[] received) {
    return MessageDigest.isEqual(expected, received);
  }
}
