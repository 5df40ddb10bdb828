package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.limpet.contract.DataScriptConfig.CryptoKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code avi.crypto.encrypt}/{@code decrypt} in each of Avi's argument forms, held against {@code
 * openssl enc} (an implementation independent of the JDK's): the same key, IV and plaintext must
 * give the same ciphertext, and the script must decrypt what openssl encrypted.
 */
@Timeout(30)
class AviCryptoBinderTest {
  private static final String PLAIN = "user=alice; role=admin; n=42";
  private static final String KEY_16 = "0123456789abcdef";
  private static final String KEY_24 = "234LJKH43J3H4K6KJH77H234"; // Avi's cookie gateway example
  private static final String KEY_32 = "k3y-of-thirty-two-bytes-exactly!";
  private static final String IV = "fedcba9876543210";

  @BeforeAll
  static void opensslIsThere() {
    assumeThat(Path.of("/usr/bin/openssl")).exists();
  }

  /** {@code openssl enc -<cipher> -K -iv}, base64 out; {@code decrypt} reads base64 in. */
  private static String openssl(String cipher, byte[] key, byte[] iv, String input, boolean decrypt)
      throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                "openssl",
                "enc",
                "-" + cipher,
                "-K",
                HexFormat.of().formatHex(key),
                "-iv",
                HexFormat.of().formatHex(iv),
                "-nosalt",
                "-a",
                "-A"));
    if (decrypt) command.add("-d");
    Process process = new ProcessBuilder(command).start();
    process.getOutputStream().write(input.getBytes(StandardCharsets.ISO_8859_1));
    if (decrypt) process.getOutputStream().write('\n');
    process.getOutputStream().close();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(err).isZero();
    return decrypt ? out : out.strip();
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String only(String source) {
    List<String> logs = ScriptHarness.logsOf(source);
    assertThat(logs).hasSize(1);
    return logs.get(0);
  }

  @Test
  void aesKeyLengthPicksAes128192Or256AsOpensslDoes() throws Exception {
    for (var pair :
        List.of(
            List.of(KEY_16, "aes-128-cbc"),
            List.of(KEY_24, "aes-192-cbc"),
            List.of(KEY_32, "aes-256-cbc"))) {
      String key = pair.get(0);
      String expected = openssl(pair.get(1), ascii(key), ascii(IV), PLAIN, false);
      assertThat(
              only(
                  "avi.vs.log(avi.utils.base64_encode(avi.crypto.encrypt('%s', '%s', '%s',"
                          .formatted(PLAIN, key, IV)
                      + " avi.CIPHER_AES)))"))
          .as(pair.get(1))
          .isEqualTo(expected);
    }
  }

  @Test
  void withoutIvAndAlgorithmItIsAesCbcWithAvisDefaultIv() throws Exception {
    String expected =
        openssl("aes-256-cbc", ascii(KEY_32), ascii("0123456789012345"), PLAIN, false);
    assertThat(
            only(
                "avi.vs.log(avi.utils.base64_encode(avi.crypto.encrypt('%s', '%s')))"
                    .formatted(PLAIN, KEY_32)))
        .isEqualTo(expected);
    // and the three-argument form: key and IV, the algorithm by default
    String withIv = openssl("aes-256-cbc", ascii(KEY_32), ascii(IV), PLAIN, false);
    assertThat(
            only(
                "avi.vs.log(avi.utils.base64_encode(avi.crypto.encrypt('%s', '%s', '%s')))"
                    .formatted(PLAIN, KEY_32, IV)))
        .isEqualTo(withIv);
  }

  @Test
  void decryptReadsWhatOpensslEncrypted() throws Exception {
    String sealed = openssl("aes-128-cbc", ascii(KEY_16), ascii(IV), PLAIN, false);
    assertThat(
            only(
                "avi.vs.log(avi.crypto.decrypt(avi.utils.base64_decode('%s'), '%s', '%s'))"
                    .formatted(sealed, KEY_16, IV)))
        .isEqualTo(PLAIN);
    String defaultIv =
        openssl("aes-256-cbc", ascii(KEY_32), ascii("0123456789012345"), PLAIN, false);
    assertThat(
            only(
                "avi.vs.log(avi.crypto.decrypt(avi.utils.base64_decode('%s'), '%s'))"
                    .formatted(defaultIv, KEY_32)))
        .isEqualTo(PLAIN);
  }

  @Test
  void encryptOfOpensslsDecryptRoundTripsBinary() throws Exception {
    String encrypted =
        only(
            "avi.vs.log(avi.utils.base64_encode(avi.crypto.encrypt(string.char(0, 255, 10, 13),"
                + " '%s', '%s')))".formatted(KEY_24, IV));
    byte[] clear =
        openssl("aes-192-cbc", ascii(KEY_24), ascii(IV), encrypted, true)
            .getBytes(StandardCharsets.ISO_8859_1);
    assertThat(clear).containsExactly(0, 255, 10, 13);
  }

  @Test
  void tripleDesTakesA24ByteKeyAndTheFirst8BytesOfTheDefaultIv() throws Exception {
    String expected = openssl("des-ede3-cbc", ascii(KEY_24), ascii("01234567"), PLAIN, false);
    assertThat(
            only(
                "avi.vs.log(avi.utils.base64_encode(avi.crypto.encrypt('%s', '%s', nil,"
                        .formatted(PLAIN, KEY_24)
                    + " avi.CIPHER_3DES)))"))
        .isEqualTo(expected);
    String withIv = openssl("des-ede3-cbc", ascii(KEY_24), ascii("abcdefgh"), PLAIN, false);
    assertThat(
            only(
                ("local c = avi.crypto.encrypt('%s', '%s', 'abcdefgh', avi.CIPHER_3DES)\n"
                        + "avi.vs.log(avi.utils.base64_encode(c) .. ' '"
                        + " .. avi.crypto.decrypt(c, '%s', 'abcdefgh', avi.CIPHER_3DES))")
                    .formatted(PLAIN, KEY_24, KEY_24)))
        .isEqualTo(withIv + " " + PLAIN);
  }

  @Test
  void aDeclaredKeyNameUsesTheSecretsBytesNotTheName() throws Exception {
    byte[] secretKey =
        HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    var h = new ScriptHarness();
    h.cryptoKeys.add(new CryptoKey("cookie-key", "ds.web.cookie-key", "unused-by-the-binder"));
    h.cryptoKeyBytes.put("cookie-key", secretKey);
    String expected = openssl("aes-256-cbc", secretKey, ascii(IV), PLAIN, false);
    assertThat(
            h.logs(
                """
                local sealed = avi.crypto.encrypt("%s", "cookie-key", "%s")
                avi.vs.log(avi.utils.base64_encode(sealed))
                avi.vs.log(avi.crypto.decrypt(sealed, "cookie-key", "%s"))
                """
                    .formatted(PLAIN, IV, IV),
                new FakeExchange("/")))
        .containsExactly(expected, PLAIN);
  }

  @Test
  void theJdksCipherAgrees() throws Exception {
    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(ascii(KEY_16), "AES"),
        new IvParameterSpec(ascii(IV)));
    String expected = Base64.getEncoder().encodeToString(cipher.doFinal(ascii(PLAIN)));
    assertThat(
            only(
                "avi.vs.log(avi.utils.base64_encode(avi.crypto.encrypt('%s', '%s', '%s')))"
                    .formatted(PLAIN, KEY_16, IV)))
        .isEqualTo(expected);
  }

  @Test
  void aWrongKeyOrTamperedInputDecryptsToNil() {
    assertThat(
            only(
                ("local c = avi.crypto.encrypt('secret', '%s')\n"
                        + "local tampered = string.sub(c, 1, -2) .. string.char((string.byte(c, -1) + 1) %% 256)\n"
                        + "avi.vs.log(avi.crypto.decrypt(c, '%s'), avi.crypto.decrypt(tampered, '%s'),"
                        + " avi.crypto.decrypt('short', '%s'))")
                    .formatted(KEY_16, KEY_32.substring(0, 16).replace('k', 'K'), KEY_16, KEY_16)))
        .isEqualTo("nil nil nil");
  }

  @Test
  void badArgumentsAreErrorsNamingTheArgument() {
    assertThat(ScriptHarness.failureOf("avi.crypto.encrypt('x', 'short')"))
        .contains("bad argument #2 to 'avi.crypto.encrypt'")
        .contains("an AES key is 16, 24 or 32 bytes, got 5");
    assertThat(ScriptHarness.failureOf("avi.crypto.encrypt('x', '%s', 'iv')".formatted(KEY_16)))
        .contains("bad argument #3 to 'avi.crypto.encrypt'")
        .contains("the IV is 16 bytes for this algorithm, got 2");
    assertThat(
            ScriptHarness.failureOf(
                "avi.crypto.decrypt('x', '%s', nil, avi.CIPHER_3DES)".formatted(KEY_16)))
        .contains("a 3DES key is 24 bytes, got 16");
    assertThat(ScriptHarness.failureOf("avi.crypto.encrypt('x', '%s', nil, 7)".formatted(KEY_16)))
        .contains("bad argument #4")
        .contains("avi.CIPHER_AES or avi.CIPHER_3DES expected, got 7");
    assertThat(ScriptHarness.failureOf("avi.crypto.encrypt(nil, '%s')".formatted(KEY_16)))
        .contains("bad argument #1")
        .contains("string expected, got nil");
  }

  @Test
  void cryptoRunsInRequestAndResponseButNotInResponseFailed() {
    var h = new ScriptHarness();
    h.script("s", null, null, "avi.crypto.encrypt('x', '%s')".formatted(KEY_16));
    h.run(ScriptEvent.HTTP_RESP_FAILED, new ScriptTransaction(), new FakeExchange("/"));
    assertThat(h.failure()).contains("avi.crypto.encrypt cannot be called in HTTP_RESP_FAILED");
  }
}
