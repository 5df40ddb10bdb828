package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The ticket key file and opening tickets sealed the way BoringSSL and OpenSSL seal them. */
class TicketKeySetTest {
  private static final byte[] OLD = filled(1);
  private static final byte[] NEW = filled(2);

  private static byte[] filled(int value) {
    byte[] secret = new byte[48];
    for (int i = 0; i < 48; i++) secret[i] = (byte) (value * 100 + i);
    return secret;
  }

  private static String file(byte[]... secrets) {
    StringBuilder keys = new StringBuilder();
    for (int i = 0; i < secrets.length; i++) {
      if (i > 0) keys.append(", ");
      keys.append(
          "{\"id\": \"k%d\", \"secret\": \"%s\"}"
              .formatted(i, Base64.getEncoder().encodeToString(secrets[i])));
    }
    return "{\"ticketKeys\": [" + keys + "]}";
  }

  /** name | iv | AES-128-CBC(content) | HMAC-SHA256(name | iv | ciphertext). */
  private static byte[] seal(byte[] secret, byte[] content) throws Exception {
    byte[] iv = filled(3);
    Cipher aes = Cipher.getInstance("AES/CBC/PKCS5Padding");
    aes.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(secret, 32, 16, "AES"),
        new IvParameterSpec(iv, 0, 16));
    byte[] ciphertext = aes.doFinal(content);
    byte[] body = new byte[32 + ciphertext.length];
    System.arraycopy(secret, 0, body, 0, 16);
    System.arraycopy(iv, 0, body, 16, 16);
    System.arraycopy(ciphertext, 0, body, 32, ciphertext.length);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret, 16, 16, "HmacSHA256"));
    byte[] tag = mac.doFinal(body);
    byte[] ticket = Arrays.copyOf(body, body.length + tag.length);
    System.arraycopy(tag, 0, ticket, body.length, tag.length);
    return ticket;
  }

  @Test
  void everyKeyOpensItsTicketsAndTheNewestComesFirst() throws Exception {
    TicketKeySet keys = TicketKeySet.parse(file(NEW, OLD), "test");
    byte[] content = "a serialized session".getBytes(StandardCharsets.US_ASCII);
    assertThat(keys.open(seal(OLD, content))).isEqualTo(content);
    assertThat(keys.open(seal(NEW, content))).isEqualTo(content);
    assertThat(keys.ids()).containsExactly("k0", "k1");
    assertThat(keys.forOpenSsl()[0].name()).isEqualTo(Arrays.copyOf(NEW, 16));
    assertThat(keys.isRandom()).isFalse();
  }

  @Test
  void aTicketOfAnotherKeyATamperedOneOrAShortOneDoesNotOpen() throws Exception {
    TicketKeySet keys = TicketKeySet.parse(file(NEW), "test");
    byte[] ticket = seal(NEW, new byte[40]);
    ticket[40] ^= 1;
    assertThat(keys.open(ticket)).isNull();
    assertThat(keys.open(seal(OLD, new byte[40]))).isNull();
    assertThat(keys.open(new byte[20])).isNull();
    assertThat(TicketKeySet.random().open(seal(NEW, new byte[40]))).isNull();
  }

  @Test
  void aBadFileIsRefusedNamingTheField() {
    assertThatThrownBy(() -> TicketKeySet.parse("{\"ticketKeys\": []}", "f.json"))
        .hasMessage("f.json: ticketKeys must be a non-empty list");
    assertThatThrownBy(
            () ->
                TicketKeySet.parse(
                    "{\"ticketKeys\": [{\"id\": \"a\", \"secret\": \"AAAA\"}]}", "f.json"))
        .hasMessage("f.json: ticketKeys[0].secret: must be 48 bytes, found 3");
    assertThatThrownBy(() -> TicketKeySet.parse(file(NEW, NEW).replace("k1", "k0"), "f.json"))
        .hasMessage("f.json: ticketKeys[1].id: 'k0' is used twice");
    assertThatThrownBy(() -> TicketKeySet.parse(file(NEW, NEW), "f.json"))
        .hasMessageContaining("ticketKeys[1].secret: its first 16 bytes");
  }
}
