package dev.limpet.dataplane.tls;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret a resuming client proves it holds, found on both sides of a resumption: a TLS 1.2
 * session's master secret (the same in every resumption of it), or a TLS 1.3 ticket's pre-shared
 * key (derived from the issuing connection's resumption secret, RFC 8446 §4.6.1).
 */
final class ResumptionSecrets {
  /** Tickets BoringSSL sends after each TLS 1.3 handshake ({@code kNumTickets}). */
  static final int TLS13_TICKETS_PER_HANDSHAKE = 2;

  private static final int DER_SEQUENCE = 0x30;

  private ResumptionSecrets() {}

  /**
   * The secret inside a decrypted ticket: BoringSSL's serialized session, {@code SEQUENCE { version
   * INTEGER, sslVersion INTEGER, cipher OCTET STRING, sessionID OCTET STRING, secret OCTET STRING,
   * ... }}. Null when the content does not have that shape.
   */
  static byte[] fromTicketContent(byte[] der) {
    int[] at = {0};
    if (der.length == 0 || (der[0] & 0xff) != DER_SEQUENCE) return null;
    if (header(der, at) < 0) return null;
    for (int field = 0; field < 4; field++) {
      int length = header(der, at);
      if (length < 0) return null;
      at[0] += length;
    }
    int length = header(der, at);
    if (length <= 0 || at[0] + length > der.length) return null;
    return Arrays.copyOfRange(der, at[0], at[0] + length);
  }

  /**
   * The pre-shared key of the {@code index}-th ticket a TLS 1.3 server sent after a handshake whose
   * resumption secret is {@code resumptionSecret}: HKDF-Expand-Label(secret, "resumption", nonce,
   * hash length). BoringSSL numbers its tickets' nonces 0, 1, ...
   *
   * @param cipherSuite the connection's suite, which names the hash (SHA-384 or SHA-256)
   */
  static byte[] tls13TicketKey(byte[] resumptionSecret, String cipherSuite, int index) {
    String hmac = cipherSuite.endsWith("SHA384") ? "HmacSHA384" : "HmacSHA256";
    byte[] label = "tls13 resumption".getBytes(StandardCharsets.US_ASCII);
    int length = resumptionSecret.length;
    byte[] info = new byte[2 + 1 + label.length + 1 + 1 + 1];
    int i = 0;
    info[i++] = (byte) (length >> 8);
    info[i++] = (byte) length;
    info[i++] = (byte) label.length;
    System.arraycopy(label, 0, info, i, label.length);
    i += label.length;
    info[i++] = 1; // the nonce's length
    info[i++] = (byte) index;
    info[i] = 1; // HKDF-Expand's block counter: one block is enough for a hash-sized output
    try {
      Mac mac = Mac.getInstance(hmac);
      mac.init(new SecretKeySpec(resumptionSecret, hmac));
      return Arrays.copyOf(mac.doFinal(info), length);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(hmac + " is missing from this JVM", e);
    }
  }

  /**
   * Reads a DER tag and length at {@code at[0]}, leaving {@code at[0]} on the value; -1 when
   * malformed or running past the end.
   */
  private static int header(byte[] der, int[] at) {
    int i = at[0] + 1;
    if (i >= der.length) return -1;
    int length = der[i++] & 0xff;
    if (length >= 0x80) {
      int bytes = length & 0x7f;
      if (bytes == 0 || bytes > 3 || i + bytes > der.length) return -1;
      length = 0;
      for (int b = 0; b < bytes; b++) length = (length << 8) | (der[i++] & 0xff);
    }
    if (i + length > der.length) return -1;
    at[0] = i;
    return length;
  }
}
