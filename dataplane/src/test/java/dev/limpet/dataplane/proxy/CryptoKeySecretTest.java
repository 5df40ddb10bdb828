package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.tls.CertificatesPendingException;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A DataScript's crypto key comes from the data plane's Secret: a configuration naming a key the
 * Secret does not hold (or holds with other bytes) waits while the last good one serves, and is
 * applied once the Secret holds it; the script then encrypts with the Secret's bytes.
 */
@Timeout(30)
class CryptoKeySecretTest {
  private static final byte[] KEY =
      HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private String config(String version, String sha256) {
    return fx.render(
        """
        version: "%s"
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [seal]}]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        dataScripts:
          - name: seal
            cryptoKeys: [{name: session, secretKey: ds.default.seal.session, sha256: %s}]
            events:
              httpRequest: |
                local sealed = avi.crypto.encrypt("alice", "session", "fedcba9876543210")
                avi.http.response(200, {}, avi.utils.base64_encode(sealed))
        """
            .formatted(version, sha256));
  }

  @Test
  void theConfigurationWaitsForTheKeyThenEncryptsWithTheSecretsBytes() throws Exception {
    fx = new ProxyFixture(1, 207, "a");
    fx.apply(
        """
        version: "1"
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web}]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        """);
    String digest = sha256(KEY);
    assertThatThrownBy(() -> fx.dataPlane.apply(config("2", digest)))
        .isInstanceOf(CertificatesPendingException.class)
        .hasMessageContaining("crypto key 'session' of DataScript 'seal'");
    fx.dataPlane.reload(config("2", digest));
    assertThat(fx.dataPlane.current().version()).isEqualTo("1");

    // other bytes under the key: still waiting
    fx.dataPlane.tlsSecretChanged(
        Map.of("ds.default.seal.session", Base64.getEncoder().encodeToString(new byte[32])));
    assertThat(fx.dataPlane.current().version()).isEqualTo("1");

    fx.dataPlane.tlsSecretChanged(
        Map.of("ds.default.seal.session", Base64.getEncoder().encodeToString(KEY)));
    assertThat(fx.dataPlane.current().version()).isEqualTo("2");

    Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
    cipher.init(
        Cipher.ENCRYPT_MODE,
        new SecretKeySpec(KEY, "AES"),
        new IvParameterSpec("fedcba9876543210".getBytes()));
    HttpResponse<String> response = fx.client().get("/");
    assertThat(response.body())
        .isEqualTo(Base64.getEncoder().encodeToString(cipher.doFinal("alice".getBytes())));
  }
}
