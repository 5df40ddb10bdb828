package dev.limpet.contract;

import static dev.limpet.contract.ConfigValidatorTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The http2 block of a virtual service: its defaults, bounds and absence from older documents. */
class ConfigValidatorHttp2Test {
  private static final String POOL = "pools: [{name: web, servers: [{ip: 10.0.0.1, port: 80}]}]\n";

  @Test
  void absentBlockIsOffWithTheDocumentedDefaults() throws ConfigException {
    var vs =
        ConfigLoader.parse(
                "virtualServices: [{name: web, port: 80, pool: web, limits: {maxHeaderBytes:"
                    + " 4096}}]\n"
                    + POOL)
            .virtualServices()
            .get(0);
    assertThat(vs.http2()).isEqualTo(new Http2Config(false, 100, 4096));
  }

  @Test
  void anEnabledBlockLoadsAndRoundTripsWhileAnOffOneIsLeftOutOfTheDocument()
      throws ConfigException {
    var on =
        ConfigLoader.parse(
            "virtualServices: [{name: web, port: 80, pool: web, http2: {enabled: true,"
                + " maxConcurrentStreams: 7, maxHeaderListBytes: 2048}}]\n"
                + POOL);
    assertThat(on.virtualServices().get(0).http2()).isEqualTo(new Http2Config(true, 7, 2048));
    assertThat(ConfigLoader.parse(ConfigLoader.toJson(on))).isEqualTo(on);

    var off = ConfigLoader.parse("virtualServices: [{name: web, port: 80, pool: web}]\n" + POOL);
    assertThat(ConfigLoader.toJson(off)).doesNotContain("http2");
  }

  @Test
  void boundsAreNamedByPath() {
    assertThat(
            problems(
                "virtualServices: [{name: web, port: 80, pool: web, http2: {enabled: true,"
                    + " maxConcurrentStreams: 20000, maxHeaderListBytes: 100}}]\n"
                    + POOL))
        .containsExactlyInAnyOrder(
            "virtualServices[0].http2.maxConcurrentStreams: 20000 is out of range 1..10000",
            "virtualServices[0].http2.maxHeaderListBytes: 100 is out of range 1024..1048576");
  }
}
