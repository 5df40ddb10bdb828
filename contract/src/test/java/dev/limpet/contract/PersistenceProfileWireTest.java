package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.limpet.contract.PersistenceProfileConfig.AppCookie;
import dev.limpet.contract.PersistenceProfileConfig.ClientIp;
import dev.limpet.contract.PersistenceProfileConfig.CustomHeader;
import dev.limpet.contract.PersistenceProfileConfig.HttpCookie;
import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.contract.PersistenceProfileConfig.SameSite;
import dev.limpet.contract.PersistenceProfileConfig.Settings;
import dev.limpet.contract.PersistenceProfileConfig.Tls;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The wire format of a persistence profile ({@code type} plus the one block it names) is the one
 * the model had when every type was a nullable block of one record: documents written then still
 * load, and documents written now have the same shape.
 */
class PersistenceProfileWireTest {
  private static final String VS =
      """
      virtualServices: [{name: web, port: 8080, pool: p0}]
      """;

  /** What the operator wrote before (ConfigDocument: YAML without nulls), one profile per type. */
  private static final String OLD_OPERATOR_YAML =
      """
      pools:
      - {name: p0, persistenceProfile: ip, servers: [{ip: 10.0.0.1, port: 80, headerValue: a}]}
      persistenceProfiles:
      - name: ip
        type: ClientIP
        onServerDown: Immediate
        clientIp: {timeoutMinutes: 30.0, prefixLengthV4: 24, prefixLengthV6: 128}
      - name: ck
        type: HttpCookie
        onServerDown: Never
        httpCookie: {name: SRV, timeoutMinutes: 0.0, maxAgeSeconds: 600, path: /, secure: true,
          httpOnly: true, sameSite: None}
      - name: app
        type: AppCookie
        onServerDown: Immediate
        appCookie: {name: JSESSIONID, timeoutMinutes: 20.0}
      - name: hdr
        type: CustomHeader
        onServerDown: Immediate
        customHeader: {name: X-Backend}
      - name: tls
        type: TLS
        onServerDown: Immediate
        tls: {timeoutMinutes: 5.0}
      """;

  /** What the admin endpoint wrote before (ObjectMapper with nulls): every other block null. */
  private static final String OLD_ADMIN_JSON =
      """
      {"pools": [{"name": "p0", "servers": [{"ip": "10.0.0.1", "port": 80}]}],
       "persistenceProfiles": [{"name": "ck", "type": "HttpCookie", "onServerDown": "Immediate",
        "clientIp": null,
        "httpCookie": {"name": "LIMPET", "timeoutMinutes": 0.0, "maxAgeSeconds": 0, "path": "/",
          "domain": null, "secure": false, "httpOnly": true, "sameSite": null},
        "appCookie": null, "customHeader": null, "tls": null}]}
      """;

  private static final List<Settings> OLD_SETTINGS =
      List.of(
          new ClientIp(30.0, 24, 128),
          new HttpCookie("SRV", 0.0, 600, "/", null, true, true, SameSite.None, false),
          new AppCookie("JSESSIONID", 20.0),
          new CustomHeader("X-Backend"),
          new Tls(5.0));

  @Test
  void aDocumentTheOldOperatorWroteStillLoads() throws Exception {
    DataPlaneConfig c = ConfigLoader.parse(VS + OLD_OPERATOR_YAML);
    assertThat(c.persistenceProfiles())
        .extracting(PersistenceProfileConfig::settings)
        .containsExactlyElementsOf(OLD_SETTINGS);
    assertThat(c.persistenceProfiles())
        .extracting(PersistenceProfileConfig::type)
        .containsExactly(
            Type.ClientIP, Type.HttpCookie, Type.AppCookie, Type.CustomHeader, Type.TLS);
    assertThat(c.persistenceProfiles().get(1).onServerDown()).isEqualTo(OnServerDown.Never);
  }

  @Test
  void aDocumentWithTheOtherBlocksNullStillLoads() throws Exception {
    DataPlaneConfig c = ConfigLoader.parse(OLD_ADMIN_JSON);
    assertThat(c.persistenceProfiles().get(0).settings())
        .isEqualTo(new HttpCookie("LIMPET", 0.0, 0, "/", null, false, true, null, false));
  }

  @Test
  void aWrittenProfileIsItsTypeAndTheOneBlockItNamesAndReadsBackEqual() throws Exception {
    DataPlaneConfig c = ConfigLoader.parse(VS + OLD_OPERATOR_YAML);
    String json = ConfigLoader.toJson(c);
    JsonNode profiles = new ObjectMapper().readTree(json).get("persistenceProfiles");
    for (int i = 0; i < profiles.size(); i++) {
      Type type = OLD_SETTINGS.get(i).type();
      Set<String> fields = fieldNames(profiles.get(i));
      assertThat(fields).containsExactlyInAnyOrder("name", "type", "onServerDown", type.block());
      assertThat(profiles.get(i).get("type").asText()).isEqualTo(type.name());
    }
    assertThat(ConfigLoader.parse(json)).isEqualTo(c);
  }

  @Test
  void absentBlocksGetTheDefaultsTheAnnotationsState() throws Exception {
    DataPlaneConfig c =
        ConfigLoader.parse(
            VS
                + """
                pools: [{name: p0, servers: []}]
                persistenceProfiles:
                - {name: a, type: ClientIP}
                - {name: b, type: HttpCookie}
                - {name: c, type: AppCookie}
                - {name: d, type: TLS}
                """);
    assertThat(c.persistenceProfiles())
        .extracting(PersistenceProfileConfig::settings)
        .containsExactly(
            new ClientIp(5.0, 32, 128),
            new HttpCookie("LIMPET", 0.0, 0, "/", null, false, true, null, false),
            new AppCookie("JSESSIONID", 20.0),
            new Tls(5.0));
  }

  @Test
  void boundsAreTheAnnotationsBounds() {
    assertThat(
            ConfigValidatorTest.problems(
                VS
                    + """
                pools: [{name: p0, servers: []}]
                persistenceProfiles:
                - {name: a, type: ClientIP, clientIp: {prefixLengthV4: 33, timeoutMinutes: -1}}
                - {name: b, type: HttpCookie, httpCookie: {maxAgeSeconds: 34560001, path: x}}
                - {name: c, type: AppCookie, appCookie: {name: "%s"}}
                """
                        .formatted("A".repeat(257))))
        .containsExactlyInAnyOrder(
            "persistenceProfiles[0].clientIp.timeoutMinutes: -1.0 is out of range 0.0..525600.0",
            "persistenceProfiles[0].clientIp.prefixLengthV4: 33 is out of range 0..32",
            "persistenceProfiles[1].httpCookie.maxAgeSeconds: 34560001 is out of range 0..34560000",
            "persistenceProfiles[1].httpCookie.path: 'x' does not match ^/.*",
            "persistenceProfiles[2].appCookie.name: is longer than 256 characters");
  }

  @Test
  void twoBlocksOrAnUnknownFieldAreRefusedWithTheirPath() {
    String pools = VS + "pools: [{name: p0, servers: []}]\n";
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    pools + "persistenceProfiles: [{name: a, type: TLS, tls: {}, clientIp: {}}]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("persistenceProfiles[0].clientIp: only one settings block");
    assertThatThrownBy(
            () -> ConfigLoader.parse(pools + "persistenceProfiles: [{name: a, sticky: true}]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("persistenceProfiles[0].sticky:");
    assertThatThrownBy(
            () ->
                ConfigLoader.parse(
                    pools + "persistenceProfiles: [{name: a, type: TLS, tls: {timeout: 3}}]"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("persistenceProfiles[0].tls.timeout:");
  }

  private static Set<String> fieldNames(JsonNode node) {
    Set<String> names = new HashSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
