package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ConfigLoader;
import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.testsupport.TestPki;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which virtual service's upstream TLS reaches each pool, for the health monitors. */
class PoolTlsTest {
  @TempDir Path dir;

  @Test
  void aPoolTakesTheFirstReencryptingVirtualServiceThatSendsToItDirectlyOrByDataScript()
      throws Exception {
    TestPki.authority("pool-tls-ca").issue("vs", List.of(), List.of("127.0.0.1")).write(dir, "vs");
    String tls =
        "{certificates: [{name: vs, certificateFile: %1$s/vs.crt, keyFile: %1$s/vs.key}]"
            .formatted(dir);
    DataPlaneConfig config =
        ConfigLoader.parse(
            """
            virtualServices:
              - {name: plain, port: 8080, pool: a}
              - {name: first, port: 8443, pool: b, dataScripts: [pick], tls: %1$s, upstream: {verify: false}}}
              - {name: second, port: 8444, pool: b, tls: %1$s, upstream: {verify: false, serverName: other}}}
              - {name: terminating, port: 8445, pool: d, tls: %1$s}}
            pools:
              - {name: a, servers: [{ip: 10.0.0.1, port: 80}]}
              - {name: b, servers: [{ip: 10.0.0.2, port: 80}]}
              - {name: c, servers: [{ip: 10.0.0.3, port: 80}]}
              - {name: d, servers: [{ip: 10.0.0.4, port: 80}]}
            dataScripts:
              - name: pick
                pools: [{pool: c}]
                events: {httpRequest: "avi.pool.select('c')"}
            """
                .formatted(tls));
    TlsCatalog catalog =
        TlsCatalog.build(
            config,
            TlsCatalog.EMPTY,
            new CertificateStore(),
            new TlsContexts(SslProvider.JDK, new TicketKeyRing(TicketKeySet.random())));

    Map<String, UpstreamTls> byPool = PoolTls.byPool(config, catalog);

    assertThat(byPool).containsOnlyKeys("b", "c");
    assertThat(byPool.get("b")).isSameAs(catalog.upstream("first"));
    assertThat(byPool.get("c")).isSameAs(catalog.upstream("first"));
    assertThat(catalog.upstream("second")).isNotSameAs(catalog.upstream("first"));
  }
}
