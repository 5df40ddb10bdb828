package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.contract.PersistenceProfileConfig.AppCookie;
import dev.limpet.contract.PersistenceProfileConfig.ClientIp;
import dev.limpet.contract.PersistenceProfileConfig.HttpCookie;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Loading turns text into a configuration with defaults, or into problems that name the field. */
class ConfigLoaderTest {
  private static final String MINIMAL =
      """
      virtualServices: [{name: web, port: 8080, pool: web}]
      pools: [{name: web, servers: [{ip: 10.0.0.1, port: 80}]}]
      """;

  @Test
  void fillsDefaults() throws Exception {
    DataPlaneConfig c = ConfigLoader.parse(MINIMAL);
    VirtualServiceConfig vs = c.virtualServices().get(0);
    assertThat(vs.address()).isEqualTo("0.0.0.0");
    assertThat(vs.timeouts()).isEqualTo(new TimeoutsConfig(2_000, 60_000, 10_000, 60_000));
    assertThat(vs.limits()).isEqualTo(new LimitsConfig(16 * 1024, 8 * 1024, 10_000));
    ServerConfig s = c.pools().get(0).servers().get(0);
    assertThat(s.ratio()).isEqualTo(1);
    assertThat(s.enabled()).isTrue();
    assertThat(s.name()).isEqualTo("10.0.0.1:80");
    assertThat(c.pools().get(0).loadBalancing().algorithm())
        .isEqualTo(LoadBalancingConfig.Algorithm.RoundRobin);
    assertThat(c.tables().maxEntriesPerTable()).isEqualTo(1_000_000);
  }

  @Test
  void profileBlocksGetTheirDefaults() throws Exception {
    DataPlaneConfig c =
        ConfigLoader.parse(
            MINIMAL
                + """
                persistenceProfiles:
                  - {name: ip, type: ClientIP}
                  - {name: ck, type: HttpCookie}
                  - {name: app, type: AppCookie}
                """);
    assertThat(c.persistenceProfiles().get(0).settings()).isEqualTo(new ClientIp(5.0, 32, 128));
    assertThat(c.persistenceProfiles().get(1).settings())
        .isEqualTo(new HttpCookie("LIMPET", 0.0, 0, "/", null, false, true, null, false));
    assertThat(c.persistenceProfiles().get(2).settings())
        .isEqualTo(new AppCookie("JSESSIONID", 20.0));
    assertThat(c.persistenceProfiles().get(0).onServerDown())
        .isEqualTo(PersistenceProfileConfig.OnServerDown.Immediate);
  }

  @Test
  void unknownFieldIsNamedWithItsPath() {
    assertThatThrownBy(
            () -> ConfigLoader.parse(MINIMAL.replace("port: 80}", "port: 80, weight: 3}")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("pools[0].servers[0].weight:");
  }

  @Test
  void wrongTypeIsNamedWithItsPath() {
    assertThatThrownBy(() -> ConfigLoader.parse(MINIMAL.replace("port: 8080", "port: eighty")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("virtualServices[0].port:");
  }

  @Test
  void badEnumValueIsNamedWithItsPath() {
    assertThatThrownBy(
            () -> ConfigLoader.parse(MINIMAL + "persistenceProfiles: [{name: p, type: Sticky}]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("persistenceProfiles[0].type:");
  }

  @Test
  void jsonReadsAsItsYamlDoes() throws Exception {
    DataPlaneConfig fromYaml = ConfigLoader.parse(MINIMAL);
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(fromYaml);
    assertThat(json).startsWith("{");
    assertThat(ConfigLoader.parse(json)).isEqualTo(fromYaml);
    assertThat(ConfigLoader.parse("  \n" + json + "\n")).isEqualTo(fromYaml);
  }

  @Test
  void flowStyleYamlThatOpensWithABraceIsStillYaml() throws Exception {
    DataPlaneConfig expected = ConfigLoader.parse(MINIMAL);
    assertThat(
            ConfigLoader.parse(
                "{virtualServices: [{name: web, port: 8080, pool: web}],"
                    + " pools: [{name: web, servers: [{ip: 10.0.0.1, port: 80}]}]}"))
        .isEqualTo(expected);
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(expected);
    assertThat(ConfigLoader.parse(json + " # a YAML comment")).isEqualTo(expected);
  }

  @Test
  void aJsonDocumentWithTrailingTokensIsRefused() throws Exception {
    var expected = ConfigLoader.parse(MINIMAL);
    String json = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(expected);
    assertThatThrownBy(() -> ConfigLoader.parse(json + " x")).isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> ConfigLoader.parse(json + "{}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Trailing token");
  }

  @Test
  void aRepeatedKeyIsRefusedInJsonAndYaml() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "{\"virtualServices\": [{\"name\": \"web\", \"port\": 8080,"
                        + " \"port\": 8081, \"pool\": \"web\"}],"
                        + " \"pools\": [{\"name\": \"web\", \"servers\": []}]}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Duplicate field 'port'");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    """
                    virtualServices:
                      - name: web
                        port: 8080
                        port: 8081
                        pool: web
                    pools: [{name: web, servers: [{ip: 10.0.0.1, port: 80}]}]
                    """))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Duplicate field 'port'");
  }

  @Test
  void aJsonDocumentIsCheckedAsStrictlyAsYaml() {
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "{\"virtualServices\": [{\"name\": \"web\", \"port\": 8080,"
                        + " \"pool\": \"web\", \"weight\": 3}], \"pools\": []}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("virtualServices[0].weight:");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    "{\"virtualServices\": [{\"name\": \"web\", \"port\": 8080,"
                        + " \"pool\": \"web\"}]}"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("pool");
  }

  @Test
  void syntaxErrorAndEmptyDocumentAreRefused() {
    assertThatThrownBy(() -> ConfigLoader.parse("{not yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("syntax:");
    assertThatThrownBy(() -> ConfigLoader.parse("")).isInstanceOf(ConfigException.class);
  }

  @Test
  void theStandaloneExampleIsValid() throws Exception {
    Path example = Path.of("..", "dataplane", "examples", "standalone.yaml");
    DataPlaneConfig c = ConfigLoader.parse(Files.readString(example));
    assertThat(c.virtualServices()).hasSize(4);
    assertThat(c.persistenceProfiles())
        .extracting(PersistenceProfileConfig::type)
        // every type but TLS, which needs a TLS listener (the standalone example has none)
        .containsExactlyInAnyOrder(
            java.util.Arrays.stream(PersistenceProfileConfig.Type.values())
                .filter(t -> t != PersistenceProfileConfig.Type.TLS)
                .toArray(PersistenceProfileConfig.Type[]::new));
  }

  @Test
  void roundTripsThroughJson() throws Exception {
    DataPlaneConfig c = ConfigLoader.parse(MINIMAL);
    assertThat(ConfigLoader.parse(ConfigLoader.toJson(c))).isEqualTo(c);
  }
}
