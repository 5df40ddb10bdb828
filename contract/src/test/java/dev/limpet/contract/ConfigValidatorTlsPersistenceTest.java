package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The TLS persistence profile: its block, and that only TLS virtual services reach its pools. */
class ConfigValidatorTlsPersistenceTest {
  private static final String TLS =
      "tls: {certificates: [{name: c, certificateFile: /c.crt, keyFile: /c.key}]}";
  private static final String POOLS =
      """
      pools:
        - {name: pinned, persistenceProfile: session, servers: [{ip: 10.0.0.1, port: 80}]}
        - {name: plain, servers: [{ip: 10.0.0.2, port: 80}]}
      persistenceProfiles:
        - {name: session, type: TLS}
      """;

  @Test
  void aTlsVirtualServiceMayUseTlsPersistenceWithItsDefaultTimeout() throws Exception {
    String yaml = "virtualServices: [{name: web, port: 443, pool: pinned, " + TLS + "}]\n" + POOLS;
    assertThat(ConfigValidatorTest.problems(yaml)).isEmpty();
    assertThat(ConfigLoader.parse(yaml).persistenceProfiles().get(0).settings())
        .isEqualTo(new PersistenceProfileConfig.Tls(5.0));
  }

  @Test
  void aVirtualServiceWithoutTlsCannotReachAPoolWithTlsPersistence() {
    assertThat(
            ConfigValidatorTest.problems(
                """
                virtualServices:
                  - {name: web, port: 80, pool: pinned}
                  - {name: scripted, port: 81, pool: plain, dataScripts: [choose]}
                dataScripts:
                  - name: choose
                    pools: [{pool: pinned}]
                    events: {httpRequest: 'avi.pool.select("pinned")'}
                """
                    + POOLS))
        .containsExactlyInAnyOrder(
            "virtualServices[0].pool: pool 'pinned' uses the TLS persistence profile 'session',"
                + " which needs TLS: this virtual service has no tls block",
            "virtualServices[1].dataScripts[0]: pool 'pinned' uses the TLS persistence profile"
                + " 'session', which needs TLS: this virtual service has no tls block");
  }

  @Test
  void theTlsBlockBelongsToTypeTlsAndItsTimeoutIsBounded() {
    assertThat(
            ConfigValidatorTest.problems(
                """
                persistenceProfiles:
                  - {name: a, type: ClientIP, tls: {timeoutMinutes: 5}}
                  - {name: b, type: TLS, tls: {timeoutMinutes: 0}}
                """))
        .containsExactlyInAnyOrder(
            "persistenceProfiles[0].tls: is only allowed with the matching type",
            "persistenceProfiles[1].tls.timeoutMinutes: 0.0 is out of range 0.001..525600.0");
  }
}
