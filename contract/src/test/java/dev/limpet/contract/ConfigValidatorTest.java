package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Each rule of the validator, with the field path its problem names. */
class ConfigValidatorTest {

  static List<String> problems(String yaml) {
    try {
      ConfigLoader.parse(yaml);
      return List.of();
    } catch (ConfigException e) {
      return e.problems();
    }
  }

  private static final String POOL = "pools: [{name: web, servers: [{ip: 10.0.0.1, port: 80}]}]\n";

  @Test
  void validConfigurationHasNoProblems() {
    assertThat(problems("virtualServices: [{name: web, port: 80, pool: web}]\n" + POOL)).isEmpty();
  }

  @Test
  void missingReferencesAreNamed() {
    assertThat(
            problems(
                """
                virtualServices: [{name: web, port: 80, pool: nowhere, dataScripts: [gone]}]
                pools: [{name: web, persistenceProfile: none, healthMonitors: [absent], servers: [{ip: 10.0.0.1, port: 80}]}]
                """))
        .containsExactlyInAnyOrder(
            "pools[0].healthMonitors[0]: no health monitor named 'absent'",
            "pools[0].persistenceProfile: no persistence profile named 'none'",
            "virtualServices[0].pool: no pool named 'nowhere'",
            "virtualServices[0].dataScripts[0]: no DataScript named 'gone'");
  }

  @Test
  void tunnelDrainSecondsDefaultsToTheDrainPeriodAndIsBounded() throws ConfigException {
    assertThat(
            ConfigLoader.parse(
                    "pools: [{name: web, drainPeriodSeconds: 40, servers: [{ip: 10.0.0.1, port: 80}]}]")
                .pools()
                .get(0)
                .tunnelDrainSeconds())
        .isEqualTo(40);
    assertThat(
            ConfigLoader.parse(
                    "pools: [{name: web, tunnelDrainSeconds: 5, servers: [{ip: 10.0.0.1, port: 80}]}]")
                .pools()
                .get(0)
                .tunnelDrainSeconds())
        .isEqualTo(5);
    assertThat(
            problems(
                """
                pools:
                  - {name: a, tunnelDrainSeconds: -1, servers: [{ip: 10.0.0.1, port: 80}]}
                  - {name: b, tunnelDrainSeconds: 86401, servers: [{ip: 10.0.0.1, port: 80}]}
                """))
        .containsExactly(
            "pools[0].tunnelDrainSeconds: must be 1..86400 seconds, or absent (drainPeriodSeconds);"
                + " got -1",
            "pools[1].tunnelDrainSeconds: must be 1..86400 seconds, or absent (drainPeriodSeconds);"
                + " got 86401");
  }

  @Test
  void duplicateNamesAndServers() {
    assertThat(
            problems(
                """
                pools:
                  - {name: web, servers: [{ip: 10.0.0.1, port: 80}, {ip: 10.0.0.1, port: 80, name: other}]}
                  - {name: web}
                """))
        .contains(
            "pools[1].name: 'web' is used twice",
            "pools[0].servers[1]: server 10.0.0.1:80 is listed twice");
  }

  @Test
  void rangesAndAddresses() {
    assertThat(
            problems(
                """
                virtualServices: [{name: web, address: not-an-ip, port: 70000, pool: web, networkSecurity: {deny: [10.0.0.0/40]}}]
                pools: [{name: web, servers: [{ip: 10.0.0.300, port: 0, ratio: 101}]}]
                """))
        .anyMatch(p -> p.startsWith("virtualServices[0].port: 70000 is out of range"))
        .anyMatch(p -> p.startsWith("virtualServices[0].address: 'not-an-ip' is not an IP address"))
        .anyMatch(p -> p.startsWith("virtualServices[0].networkSecurity.deny[0]: prefix length"))
        .anyMatch(p -> p.startsWith("pools[0].servers[0].ip:"))
        .anyMatch(p -> p.startsWith("pools[0].servers[0].port: 0 is out of range"))
        .anyMatch(p -> p.startsWith("pools[0].servers[0].ratio: 101 is out of range"));
  }

  @Test
  void sharedPortNeedsDistinctHostnames() {
    assertThat(
            problems(
                """
                virtualServices:
                  - {name: a, port: 80, pool: web, hostnames: [shop.example.com]}
                  - {name: b, port: 80, pool: web, hostnames: [SHOP.example.com]}
                  - {name: c, port: 80, pool: web}
                  - {name: d, port: 80, pool: web}
                  - {name: e, port: 80, address: 127.0.0.1, pool: web, hostnames: [e.example.com]}
                """
                    + POOL))
        .containsExactlyInAnyOrder(
            "virtualServices[1].hostnames: hostname 'shop.example.com' on port 80 is already taken by virtual service 'a'",
            "virtualServices[3].hostnames: no hostnames (catch-all) on port 80 is already taken by virtual service 'c'",
            "virtualServices[4].address: port 80 is already bound on 0.0.0.0 by another virtual service");
  }

  @Test
  void profileBlocksMustMatchTheirType() {
    assertThat(
            problems(
                POOL
                    + """
                persistenceProfiles:
                  - {name: a, type: ClientIP, httpCookie: {name: X}}
                  - {name: b, type: HttpCookie, httpCookie: {name: "bad name", sameSite: None}}
                  - {name: c, type: CustomHeader}
                  - {name: d}
                """))
        .contains(
            "persistenceProfiles[0].httpCookie: is only allowed with the matching type",
            "persistenceProfiles[1].httpCookie.name: 'bad name' does not match "
                + PersistenceProfileConfig.TOKEN,
            "persistenceProfiles[1].httpCookie.sameSite: None requires secure: true (browsers drop it otherwise)",
            "persistenceProfiles[2].customHeader.name: is required",
            "persistenceProfiles[3].type: is required (ClientIP, HttpCookie, AppCookie, CustomHeader,"
                + " TLS)");
  }

  @Test
  void customHeaderPoolsNeedHeaderValues() {
    assertThat(
            problems(
                """
                pools: [{name: web, persistenceProfile: h, servers: [{ip: 10.0.0.1, port: 80}]}]
                persistenceProfiles: [{name: h, type: CustomHeader, customHeader: {name: X-Server}}]
                """))
        .containsExactly(
            "pools[0].servers[0].headerValue: is required: the pool uses CustomHeader persistence");
  }

  @Test
  void monitorsAndHashing() {
    assertThat(
            problems(
                """
                pools: [{name: web, loadBalancing: {algorithm: ConsistentHash, hashKey: Header}, servers: [{ip: 10.0.0.1, port: 80}]}]
                healthMonitors:
                  - {name: h, type: Http, intervalSeconds: 2, timeoutSeconds: 5, http: {path: health, expectedStatus: ["2xx", "600"]}}
                  - {name: t, type: Tcp, http: {path: /}}
                """))
        .contains(
            "pools[0].loadBalancing.hashName: a header or cookie name is required with hashKey Header",
            "healthMonitors[0].timeoutSeconds: must not exceed intervalSeconds (2)",
            "healthMonitors[0].http.path: must start with /",
            "healthMonitors[0].http.expectedStatus[1]: '600' is not a status code (200) or class (2xx)",
            "healthMonitors[1].http: is only allowed with type Http");
  }
}
