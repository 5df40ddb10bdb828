package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A pool's server protocol: HTTP/1.1 unless it says Http2, and absent from documents then. */
class ServerProtocolTest {
  private static final String POOL =
      """
      virtualServices: [{name: web, port: 8080, pool: web}]
      pools: [{name: web, servers: [{ip: 10.0.0.1, port: 80}]%s}]
      """;

  @Test
  void http1WhenAbsentAndLeftOutOfDocuments() throws Exception {
    DataPlaneConfig c = ConfigLoader.parse(POOL.formatted(""));
    assertThat(c.pools().get(0).protocol()).isEqualTo(ServerProtocol.Http1);
    // a data plane older than the field must read what a newer operator writes
    assertThat(ConfigLoader.toJson(c)).doesNotContain("protocol");
  }

  @Test
  void http2IsReadAndWritten() throws Exception {
    DataPlaneConfig c = ConfigLoader.parse(POOL.formatted(", protocol: Http2"));
    assertThat(c.pools().get(0).protocol()).isEqualTo(ServerProtocol.Http2);
    assertThat(ConfigLoader.parse(ConfigLoader.toJson(c)).pools().get(0).protocol())
        .isEqualTo(ServerProtocol.Http2);
  }

  @Test
  void unknownProtocolIsAnError() {
    assertThatThrownBy(() -> ConfigLoader.parse(POOL.formatted(", protocol: Http3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("protocol");
  }
}
