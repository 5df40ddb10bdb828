package dev.limpet.dataplane.config;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Reads the private key of a PEM file in the three forms Kubernetes TLS Secrets carry: PKCS#8
 * ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE KEY}, cert-manager's default for RSA) and SEC1
 * ({@code EC PRIVATE KEY}); the last two are wrapped into PKCS#8, which every JDK key factory
 * reads.
 */
final class PemPrivateKeys {
  private static final byte[] RSA_OID = {
    0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 1, 1, 1
  };
  private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 2, 1};
  private static final List<String> ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

  private PemPrivateKeys() {}

  /**
   * The first private key in {@code pem}.
   *
   * @throws IllegalArgumentException naming what is wrong, for a person to act on
   */
  static PrivateKey read(String pem) {
    for (PemBlock block : PemBlock.all(pem)) {
      switch (block.type()) {
        case "PRIVATE KEY" -> {
          return pkcs8(block.der());
        }
        case "RSA PRIVATE KEY" -> {
          return pkcs8(wrap(sequence(tlv(0x06, RSA_OID), new byte[] {0x05, 0}), block.der()));
        }
        case "EC PRIVATE KEY" -> {
          return pkcs8(wrap(sequence(tlv(0x06, EC_OID), curveOf(block.der())), block.der()));
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new IllegalArgumentException(
                "the private key is encrypted; a key without a passphrase is needed");
        default -> {
          // EC PARAMETERS and the like, which openssl writes before the key
        }
      }
    }
    throw new IllegalArgumentException("no PEM private key found");
  }

  private static PrivateKey pkcs8(byte[] der) {
    for (String algorithm : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException | RuntimeException e) {
        // not this algorithm: try the next
      }
    }
    throw new IllegalArgumentException(
        "the private key is malformed or of an unsupported type (RSA, EC, Ed25519, Ed448)");
  }

  /** PKCS#8 PrivateKeyInfo: version 0, the algorithm, the key in its own form. */
  private static byte[] wrap(byte[] algorithm, byte[] key) {
    return sequence(new byte[] {0x02, 1, 0}, algorithm, tlv(0x04, key));
  }

  /**
   * The named-curve OID of a SEC1 ECPrivateKey: {@code SEQUENCE {INTEGER 1, OCTET STRING, [0] OID,
   * ...}}.
   */
  private static byte[] curveOf(byte[] sec1) {
    Der outer = new Der(sec1, 0);
    Der field = new Der(sec1, outer.contentStart);
    while (field.end() < outer.end()) {
      field = new Der(sec1, field.end());
      if (field.tag == 0xa0) return Arrays.copyOfRange(sec1, field.contentStart, field.end());
    }
    throw new IllegalArgumentException("the EC private key does not name its curve");
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream content = new ByteArrayOutputStream();
    for (byte[] p : parts) content.writeBytes(p);
    return tlv(0x30, content.toByteArray());
  }

  private static byte[] tlv(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(n) + 7) / 8;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) out.write(n >>> (8 * i));
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** One DER element's header: its tag, where its content starts and how long it is. */
  private static final class Der {
    final int tag;
    final int contentStart;
    final int length;

    Der(byte[] der, int at) {
      if (at + 2 > der.length) throw new IllegalArgumentException("the private key is truncated");
      tag = der[at] & 0xff;
      int first = der[at + 1] & 0xff;
      int pos = at + 2;
      int len = first;
      if (first >= 0x80) {
        len = 0;
        for (int i = 0; i < (first & 0x7f); i++) len = (len << 8) | (der[pos++] & 0xff);
      }
      contentStart = pos;
      length = len;
      if (len < 0 || end() > der.length)
        throw new IllegalArgumentException("the private key is truncated");
    }

    int end() {
      return contentStart + length;
    }
  }

  /** One {@code -----BEGIN type-----} block, decoded. */
  record PemBlock(String type, byte[] der) {
    static List<PemBlock> all(String pem) {
      List<PemBlock> blocks = new java.util.ArrayList<>();
      int at = 0;
      while (true) {
        int begin = pem.indexOf("-----BEGIN ", at);
        if (begin < 0) return blocks;
        int typeEnd = pem.indexOf("-----", begin + 11);
        if (typeEnd < 0) return blocks;
        String type = pem.substring(begin + 11, typeEnd);
        String endMarker = "-----END " + type + "-----";
        int end = pem.indexOf(endMarker, typeEnd);
        if (end < 0) throw new IllegalArgumentException("PEM block '" + type + "' has no END line");
        String body = pem.substring(typeEnd + 5, end).replaceAll("\\s", "");
        try {
          blocks.add(new PemBlock(type, Base64.getDecoder().decode(body)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("PEM block '" + type + "' is not valid base64");
        }
        at = end + endMarker.length();
      }
    }
  }
}
