package dev.limpet.dataplane.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.persistence.CookieCodec.DecodedCookie;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class CookieCodecTest {
  private static final CookieKeySet.CookieKey OLD = CookieKeySet.key("2025-10", bytes(16, 1));
  private static final CookieKeySet.CookieKey NEW = CookieKeySet.key("2025-11", bytes(32, 2));

  private final CookieCodec codec = new CookieCodec(CookieKeySet.of(List.of(OLD)), "web");

  @Test
  void roundTripsAServerKeyAndItsCreationTime() {
    String value = codec.encode("10.0.0.12:8080", 1_700_000_000L);
    assertThat(value).matches("[A-Za-z0-9_-]+");
    assertThat(codec.decode(value)).contains(new DecodedCookie("10.0.0.12:8080", 1_700_000_000L));
    String v6 = codec.encode("[2001:db8::1]:443", 5L);
    assertThat(codec.decode(v6)).contains(new DecodedCookie("[2001:db8::1]:443", 5L));
  }

  @Test
  void everyValueIsFreshAndOpaque() {
    String a = codec.encode("10.0.0.12:8080", 1L);
    String b = codec.encode("10.0.0.12:8080", 1L);
    assertThat(a).isNotEqualTo(b);
    assertThat(
            new String(
                Base64.getUrlDecoder().decode(a), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain("10.0.0.12");
  }

  @Test
  void afterRotationOldValuesStillOpenAndNewOnesUseTheNewestKey() {
    String sealedWithOld = codec.encode("10.0.0.1:80", 1L);
    CookieCodec rotated = new CookieCodec(CookieKeySet.of(List.of(NEW, OLD)), "web");
    assertThat(rotated.decode(sealedWithOld)).contains(new DecodedCookie("10.0.0.1:80", 1L));

    String sealedWithNew = rotated.encode("10.0.0.2:80", 2L);
    assertThat(Base64.getUrlDecoder().decode(sealedWithNew)[0]).isEqualTo(NEW.tag());
    assertThat(codec.decode(sealedWithNew)).as("the old set lacks the new key").isEmpty();
    assertThat(new CookieCodec(CookieKeySet.of(List.of(NEW)), "web").decode(sealedWithNew))
        .isPresent();
  }

  @Test
  void aValueFromAnotherKeyWithTheSameTagDoesNotOpen() {
    CookieKeySet.CookieKey impostor = CookieKeySet.key(OLD.id(), bytes(16, 9));
    String forged =
        new CookieCodec(CookieKeySet.of(List.of(impostor)), "web").encode("10.6.6.6:80", 1L);
    assertThat(codec.decode(forged)).isEmpty();
  }

  @Test
  void everyTamperedByteIsRejected() {
    byte[] sealed = Base64.getUrlDecoder().decode(codec.encode("10.0.0.12:8080", 1L));
    for (int i = 0; i < sealed.length; i++) {
      byte[] tampered = sealed.clone();
      tampered[i] ^= 0x01;
      assertThat(codec.decode(encode(tampered))).as("byte %d flipped", i).isEmpty();
    }
  }

  @Test
  void everyTruncationIsRejected() {
    String value = codec.encode("10.0.0.12:8080", 1L);
    for (int length = 0; length < value.length(); length++) {
      assertThat(codec.decode(value.substring(0, length))).as("length %d", length).isEmpty();
    }
    byte[] sealed = Base64.getUrlDecoder().decode(value);
    for (int length = 0; length < sealed.length; length++) {
      assertThat(codec.decode(encode(java.util.Arrays.copyOf(sealed, length)))).isEmpty();
    }
  }

  @Test
  void anUnknownKeyTagIsRejected() {
    byte[] sealed = Base64.getUrlDecoder().decode(codec.encode("10.0.0.12:8080", 1L));
    sealed[0] = (byte) (OLD.tag() + 1);
    assertThat(codec.decode(encode(sealed))).isEmpty();
  }

  @Test
  void garbageIsRejectedWithoutThrowing() {
    for (String garbage :
        new String[] {
          null,
          "",
          "x",
          "!!!!",
          "a b c",
          "====",
          "LIMPET=abc",
          encode(new byte[64]),
          "A".repeat(10_000),
          "\u00e9\u00e9\u00e9\u00e9"
        }) {
      assertThat(codec.decode(garbage)).as(String.valueOf(garbage)).isEqualTo(Optional.empty());
    }
  }

  @Test
  void aValueReadFromBytesOpensAsItsStringDoes() {
    String value = codec.encode("10.0.0.12:8080", 7L);
    String padded = Base64.getUrlEncoder().encodeToString(Base64.getUrlDecoder().decode(value));
    List<String> values = new java.util.ArrayList<>();
    for (String whole : List.of(value, padded, codec.encode("[2001:db8::1]:443", 9L)))
      for (int length = 0; length <= whole.length(); length++)
        values.add(whole.substring(0, length));
    values.addAll(List.of("\u00ff".repeat(60), "A".repeat(257), "A".repeat(256), "=".repeat(52)));
    values.add(value.substring(0, 48) + "\u00e9" + value.substring(49));
    int opened = 0;
    for (String v : values) {
      byte[] b = ("x;" + v + ";\"").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
      Optional<DecodedCookie> fromBytes = codec.decode(b, 2, b.length - 2);
      assertThat(fromBytes).as(v).isEqualTo(codec.decode(v));
      if (fromBytes.isPresent()) opened++;
    }
    assertThat(opened).as("the whole values, padded or not").isEqualTo(3);
  }

  @Test
  void aValueOpenedOnceIsKeptAndAForgedOneNever() {
    String value = codec.encode("10.0.0.12:8080", 7L);
    DecodedCookie first = codec.decode(value).orElseThrow();
    assertThat(codec.decode(value).orElseThrow()).as("kept, not opened again").isSameAs(first);
    byte[] sealed = Base64.getUrlDecoder().decode(value);
    sealed[sealed.length - 1] ^= 1;
    assertThat(codec.decode(encode(sealed))).isEmpty();
    assertThat(codec.decode(encode(sealed))).isEmpty();
    assertThat(codec.decode(value)).contains(first);
    assertThat(new CookieCodec(CookieKeySet.of(List.of(OLD)), "api").decode(value))
        .as("another pool's codec keeps its own")
        .isEmpty();
  }

  private static String encode(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] bytes(int length, int fill) {
    byte[] b = new byte[length];
    java.util.Arrays.fill(b, (byte) fill);
    return b;
  }

  @Test
  void aValueOpensOnlyForThePoolItWasIssuedFor() {
    CookieKeySet shared = CookieKeySet.of(List.of(OLD));
    String forWeb = new CookieCodec(shared, "web").encode("10.0.0.12:8080", 1L);
    // another replica with the same keys and pool opens it; another pool does not
    assertThat(new CookieCodec(shared, "web").decode(forWeb)).isPresent();
    assertThat(new CookieCodec(shared, "api").decode(forWeb)).isEmpty();
  }

  @Test
  void aValueFromBeforePoolBindingIsIgnored() throws Exception {
    // sealed as releases before the binding did: additional data is the key tag alone
    byte[] nonce = new byte[12];
    javax.crypto.Cipher cipher = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(
        javax.crypto.Cipher.ENCRYPT_MODE,
        OLD.secret(),
        new javax.crypto.spec.GCMParameterSpec(128, nonce));
    cipher.updateAAD(new byte[] {OLD.tag()});
    byte[] plain =
        java.nio.ByteBuffer.allocate(8 + 14).putLong(1L).put("10.0.0.12:8080".getBytes()).array();
    byte[] sealed = cipher.doFinal(plain);
    byte[] value = new byte[1 + 12 + sealed.length];
    value[0] = OLD.tag();
    System.arraycopy(sealed, 0, value, 13, sealed.length);
    String old = Base64.getUrlEncoder().withoutPadding().encodeToString(value);
    assertThat(codec.decode(old)).isEmpty();
  }
}
