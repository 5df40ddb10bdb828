package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules of a virtual service's tls block and of TLS ports, with the field path of each. */
class ConfigValidatorTlsTest {
  private static final String POOL = "pools: [{name: web, servers: [{ip: 10.0.0.1, port: 80}]}]\n";
  private static final String SHA = "a".repeat(64);

  private static List<String> problems(String virtualServices) {
    try {
      ConfigLoader.parse("virtualServices:\n" + virtualServices + POOL);
      return List.of();
    } catch (ConfigException e) {
      return e.problems();
    }
  }

  @Test
  void filesOrSecretKeyAndDigestWithDefaultsFilledIn() throws Exception {
    DataPlaneConfig config =
        ConfigLoader.parse(
            """
            virtualServices:
              - name: web
                port: 443
                pool: web
                tls:
                  certificates:
                    - {name: a, certificateFile: /a.crt, keyFile: /a.key}
                    - {name: b, secretKey: ns.b, sha256: %s, hostnames: [B.example.com]}
            """
                    .formatted(SHA)
                + POOL);
    TlsConfig tls = config.virtualServices().get(0).tls();
    assertThat(tls.defaultCertificate()).isEqualTo("a");
    assertThat(tls.protocols()).containsExactly("TLSv1.2", "TLSv1.3");
    assertThat(tls.ciphers()).isEqualTo(TlsConfig.MODERN_CIPHERS);
    assertThat(TlsConfig.SUPPORTED_CIPHERS).containsAll(TlsConfig.MODERN_CIPHERS);
    assertThat(tls.certificates().get(1).hostnames()).containsExactly("b.example.com");
    assertThat(tls.certificates().get(1).fromSecret()).isTrue();
  }

  @Test
  void eachCertificateProblemNamesItsField() {
    assertThat(
            problems(
                """
                  - name: web
                    port: 443
                    pool: web
                    tls:
                      certificates:
                        - {name: a, certificateFile: /a.crt}
                        - {name: b, secretKey: "b/c", sha256: ABC}
                        - {name: c}
                        - {name: d, certificateFile: /d.crt, keyFile: /d.key, secretKey: d}
                        - {name: a, certificateFile: /e.crt, keyFile: /e.key, sha256: %s, hostnames: ["*x"]}
                      defaultCertificate: z
                      protocols: [TLSv1.1]
                      ciphers: [TLS_RSA_WITH_RC4_128_MD5]
                      upstream: {verify: false, caFile: /ca.pem, serverName: "Not A Name"}
                """
                    .formatted(SHA)))
        .containsExactlyInAnyOrder(
            "virtualServices[0].tls.certificates[0].keyFile: is required with certificateFile",
            "virtualServices[0].tls.certificates[1].secretKey: 'b/c' is not a valid Secret key",
            "virtualServices[0].tls.certificates[1].sha256: 64 lower-case hex digits are required"
                + " with secretKey",
            "virtualServices[0].tls.certificates[2]: needs certificateFile and keyFile, or"
                + " secretKey and sha256",
            "virtualServices[0].tls.certificates[3]: give certificateFile and keyFile, or"
                + " secretKey, not both",
            "virtualServices[0].tls.certificates[4].name: 'a' is used twice",
            "virtualServices[0].tls.certificates[4].sha256: is only allowed with secretKey",
            "virtualServices[0].tls.certificates[4].hostnames[0]: '*x' is not a hostname (a"
                + " leading '*.' is allowed)",
            "virtualServices[0].tls.defaultCertificate: no certificate named 'z'",
            "virtualServices[0].tls.protocols[0]: 'TLSv1.1' is not one of [TLSv1.2, TLSv1.3]",
            "virtualServices[0].tls.ciphers[0]: 'TLS_RSA_WITH_RC4_128_MD5' is not a supported"
                + " cipher suite (IANA names: "
                + String.join(", ", TlsConfig.SUPPORTED_CIPHERS)
                + ")",
            "virtualServices[0].tls.upstream.verify: is false: a CA bundle would not be used",
            "virtualServices[0].tls.upstream.serverName: 'Not A Name' is not a hostname");
  }

  @Test
  void aPortIsAllTlsWithOneSettingOrAllPlain() {
    String tls = "{certificates: [{name: a, certificateFile: /a.crt, keyFile: /a.key}]%s}";
    assertThat(
            problems(
                """
                  - {name: one, port: 443, pool: web, hostnames: [a.example.com], tls: %s}
                  - {name: two, port: 443, pool: web, hostnames: [b.example.com]}
                  - {name: three, port: 443, pool: web, hostnames: [c.example.com], tls: %s}
                  - {name: four, port: 443, pool: web, hostnames: [d.example.com], tls: %s}
                  - {name: five, port: 80, pool: web, hostnames: [e.example.com]}
                  - {name: six, port: 80, pool: web, hostnames: [f.example.com], tls: %s}
                """
                    .formatted(
                        tls.formatted(""),
                        tls.formatted(", protocols: [TLSv1.3]"),
                        tls.formatted(", ciphers: [TLS_AES_128_GCM_SHA256]"),
                        tls.formatted(""))))
        .containsExactlyInAnyOrder(
            "virtualServices[1].tls: is missing: virtual service 'one' on port 443 terminates TLS",
            "virtualServices[2].tls.protocols: must equal those of virtual service 'one' on port"
                + " 443",
            "virtualServices[3].tls.ciphers: must equal those of virtual service 'one' on port 443",
            "virtualServices[5].tls: is not allowed: virtual service 'five' on port 80 is plain"
                + " HTTP");
  }

  @Test
  void digestIsOverTheCertificateThenTheKey() {
    assertThat(TlsCertificateConfig.digest("a", "b"))
        .isEqualTo("fb8e20fc2e4c3f248c60c39bd652f3c1347298bb977b8b4d5903b85055620603")
        .isNotEqualTo(TlsCertificateConfig.digest("b", "a"));
  }
}
