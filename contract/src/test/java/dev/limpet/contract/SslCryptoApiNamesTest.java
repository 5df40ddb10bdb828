package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ApiNameScanner.Unavailable;
import dev.limpet.contract.DataScriptCompiler.Compiled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the compiler lets a script name of {@code avi.ssl} and {@code avi.crypto}, and why not. */
@Timeout(10)
class SslCryptoApiNamesTest {
  private static List<String> problems(String source) {
    var result = DataScriptCompiler.compile("s", "httpRequest", source);
    return ApiNameScanner.scan(((Compiled) result).prototype()).stream()
        .map(Unavailable::toString)
        .toList();
  }

  @Test
  void theOfferedFunctionsAndConstantsPass() {
    assertThat(
            problems(
                """
                local p, c, n = avi.ssl.protocol(), avi.ssl.cipher(true), avi.ssl.server_name()
                local v = avi.ssl.check_client_cert_validity()
                local s, i = avi.ssl.client_cert(avi.CLIENT_CERT_SUBJECT, avi.CLIENT_CERT_ISSUER,
                  avi.CLIENT_CERT, avi.CLIENT_CERT_FINGERPRINT, avi.CLIENT_CERT_SERIAL,
                  avi.CLIENT_CERT_NOTVALIDBEFORE, avi.CLIENT_CERT_NOTVALIDAFTER,
                  avi.CLIENT_CERT_VERSION, avi.CLIENT_CERT_SIGALG, avi.CLIENT_CERT_ESCAPED,
                  avi.CLIENT_CERT_SAN_EXTENSION, avi.CLIENT_CERT_SAN_EXTENSIONS)
                local e = avi.crypto.encrypt("x", "key", nil, avi.CIPHER_AES)
                local d = avi.crypto.decrypt(e, "key", nil, avi.CIPHER_3DES)
                """))
        .isEmpty();
  }

  @Test
  void theRefusedOnesSayWhy() {
    assertThat(
            problems(
                """
                avi.ssl.get_tls_fingerprint("ja3")
                avi.ssl.set_ssl_certificate("other")
                avi.ssl.set_pki_profile("strict")
                avi.ssl.renegotiate()
                local x = avi.CLIENT_CERT_X509_EXTENSIONS
                avi.crypto.hmac("k", "m")
                """))
        .containsExactly(
            "line 1: avi.ssl.get_tls_fingerprint is not available in Limpet: Limpet computes no"
                + " JA3/JA4 TLS fingerprints",
            "line 2: avi.ssl.set_ssl_certificate is not available in Limpet: Limpet runs no TLS"
                + " handshake events (SSL_CLIENTHELLO, SSL_HANDSHAKE_DONE): a virtual service's"
                + " certificates and TLS settings are chosen by its spec and SNI",
            "line 3: avi.ssl.set_pki_profile is not available in Limpet: client certificates are"
                + " verified in the handshake against the VirtualService's tls.clientCertificates;"
                + " there is no PKI profile to set or query; use"
                + " avi.ssl.check_client_cert_validity and avi.ssl.client_cert",
            "line 4: avi.ssl.renegotiate is not available in Limpet: Limpet refuses TLS"
                + " renegotiation (TLS 1.3 has none)",
            "line 5: avi.CLIENT_CERT_X509_EXTENSIONS is not available in Limpet: not offered by"
                + " avi.ssl.client_cert in Limpet; CLIENT_CERT_SAN_EXTENSION is",
            "line 6: avi.crypto.hmac is not a function of Avi's DataScript API that Limpet"
                + " knows");
  }
}
