package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keys as {@code openssl} 3 writes them (src/test/resources/pem, made by {@code openssl genpkey},
 * {@code openssl rsa -traditional}, {@code openssl ecparam -genkey}, {@code openssl pkcs8 -topk8}
 * and {@code openssl req -x509}), read and matched to their certificates.
 */
class PemPrivateKeysTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "rsa-pkcs8.pem,     rsa.crt,     RSA",
    "rsa-pkcs1.pem,     rsa.crt,     RSA",
    "ec-sec1.pem,       ec.crt,      EC",
    "ec-pkcs8.pem,      ec.crt,      EC",
    "ed25519-pkcs8.pem, ed25519.crt, EdDSA",
  })
  void readsEveryUnencryptedFormAndItMatchesItsCertificate(
      String key, String certificate, String algorithm) {
    PemKeyPair pair = PemKeyPair.parse(resource(certificate), resource(key));
    assertThat(pair.key().getAlgorithm()).isEqualTo(algorithm);
  }

  @ParameterizedTest
  @ValueSource(strings = {"rsa-pkcs8-encrypted.pem", "rsa-pkcs1-encrypted.pem"})
  void refusesAnEncryptedKeyWithAClearMessage(String key) {
    assertThatThrownBy(() -> PemPrivateKeys.read(resource(key)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the private key is encrypted; a key without a passphrase is needed");
  }

  @ParameterizedTest
  @CsvSource({"ec-sec1.pem, rsa.crt", "rsa-pkcs1.pem, ec.crt"})
  void refusesAKeyOfAnotherCertificate(String key, String certificate) {
    assertThatThrownBy(() -> PemKeyPair.parse(resource(certificate), resource(key)))
        .hasMessageStartingWith("the private key does not match the certificate");
  }

  static String resource(String name) {
    try (InputStream in = PemPrivateKeysTest.class.getResourceAsStream("/pem/" + name)) {
      if (in == null) throw new IllegalStateException("no test resource /pem/" + name);
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
