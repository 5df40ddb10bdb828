package dev.limpet.contract;

import static dev.limpet.contract.ConfigValidatorTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The client-address block of a virtual service, and the Partitioned cookie attribute. */
class ConfigValidatorClientAddressTest {
  private static final String POOL = "pools: [{name: web, servers: [{ip: 10.0.0.1, port: 80}]}]\n";

  @Test
  void absentBlockMeansTheSocketsPeerAndAValidBlockLoads() throws ConfigException {
    var none = ConfigLoader.parse("virtualServices: [{name: web, port: 80, pool: web}]\n" + POOL);
    assertThat(none.virtualServices().get(0).clientAddress()).isEqualTo(ClientAddressConfig.SOCKET);

    var set =
        ConfigLoader.parse(
            "virtualServices: [{name: web, port: 80, pool: web, clientAddress: {proxyProtocol:"
                + " {sources: [10.0.0.0/8, '2001:db8::/32']}, forwardedFor: {trustedProxies:"
                + " [192.168.0.1]}}}]\n"
                + POOL);
    ClientAddressConfig c = set.virtualServices().get(0).clientAddress();
    assertThat(c.proxyProtocol().sources()).containsExactly("10.0.0.0/8", "2001:db8::/32");
    assertThat(c.forwardedFor().trustedProxies()).containsExactly("192.168.0.1");
  }

  @Test
  void badBlocksAndEmptyListsAreNamedByPath() {
    assertThat(
            problems(
                "virtualServices: [{name: web, port: 80, pool: web, clientAddress: {proxyProtocol:"
                    + " {sources: [10.0.0.0/33, lb.example]}, forwardedFor: {}}}]\n"
                    + POOL))
        .containsExactlyInAnyOrder(
            "virtualServices[0].clientAddress.proxyProtocol.sources[0]: prefix length of"
                + " '10.0.0.0/33' must be 0..32",
            "virtualServices[0].clientAddress.proxyProtocol.sources[1]: 'lb.example' is not an IP"
                + " address",
            "virtualServices[0].clientAddress.forwardedFor.trustedProxies: needs at least one"
                + " address block (the proxies whose X-Forwarded-For is believed)");
    assertThat(
            problems(
                "virtualServices: [{name: web, port: 80, pool: web, clientAddress: {proxyProtocol:"
                    + " {sources: []}}}]\n"
                    + POOL))
        .containsExactly(
            "virtualServices[0].clientAddress.proxyProtocol.sources: needs at least one address"
                + " block (the load balancers that send the header)");
  }

  @Test
  void listsAreBounded() {
    String many = String.join(", ", Collections.nCopies(65, "10.0.0.1"));
    assertThat(
            problems(
                "virtualServices: [{name: web, port: 80, pool: web, clientAddress: {forwardedFor:"
                    + " {trustedProxies: ["
                    + many
                    + "]}}}]\n"
                    + POOL))
        .containsExactly(
            "virtualServices[0].clientAddress.forwardedFor.trustedProxies: 65 address blocks; at"
                + " most 64");
  }

  @Test
  void servicesSharingAPortReadThePortsProxyHeaderAlike() {
    List<String> problems =
        problems(
            """
            virtualServices:
              - {name: a, port: 80, pool: web, hostnames: [a.example], clientAddress: {proxyProtocol: {sources: [10.0.0.0/8]}}}
              - {name: b, port: 80, pool: web, hostnames: [b.example]}
              - {name: c, port: 80, pool: web, hostnames: [c.example], clientAddress: {proxyProtocol: {sources: [10.0.0.0/8]}, forwardedFor: {trustedProxies: [10.1.0.0/16]}}}
            """
                + POOL);
    assertThat(problems)
        .containsExactly(
            "virtualServices[1].clientAddress.proxyProtocol: must equal that of virtual service"
                + " 'a' on port 80 (sources [10.0.0.0/8]): the header comes before the Host that"
                + " tells them apart");
  }

  @Test
  void partitionedCookiesMustBeSecure() {
    String profile =
        "persistenceProfiles: [{name: p, type: HttpCookie, httpCookie: {partitioned: true%s}}]\n";
    assertThat(problems(profile.formatted("")))
        .containsExactly(
            "persistenceProfiles[0].httpCookie.partitioned: requires secure: true (browsers drop"
                + " the cookie otherwise)");
    assertThat(problems(profile.formatted(", secure: true"))).isEmpty();
  }
}
