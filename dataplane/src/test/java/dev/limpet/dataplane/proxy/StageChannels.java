package dev.limpet.dataplane.proxy;

import dev.limpet.contract.ConfigLoader;
import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.persistence.PersistenceCatalog;
import dev.limpet.dataplane.persistence.TableRegistry;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.runtime.ScriptCatalog;
import dev.limpet.dataplane.script.DataScriptEngine;
import dev.limpet.dataplane.script.ScriptLimits;
import dev.limpet.dataplane.script.ScriptTransaction;
import dev.limpet.dataplane.tls.TlsCatalog;
import dev.limpet.dataplane.upstream.PoolCatalog;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.function.LongSupplier;

/** What the tests of the proxy's stages share: a configuration, a client channel, a request. */
final class StageChannels {
  static final int PORT = 8080;

  private StageChannels() {}

  /** A configuration of the given virtual services (YAML flow maps) on {@link #PORT}. */
  static RuntimeConfig config(String... virtualServices) throws Exception {
    StringBuilder yaml = new StringBuilder("version: \"1\"\nvirtualServices:\n");
    for (String vs : virtualServices) yaml.append("  - ").append(vs).append('\n');
    yaml.append("pools:\n  - {name: web, servers: [{name: a, ip: 127.0.0.1, port: 9}]}\n");
    return RuntimeConfig.of(
        ConfigLoader.parse(yaml.toString()),
        PoolCatalog.EMPTY,
        ScriptCatalog.EMPTY,
        TlsCatalog.EMPTY);
  }

  /**
   * A whole configuration as the data plane builds it from {@code yaml}: persistence profiles,
   * pools and compiled DataScripts included.
   */
  static RuntimeConfig full(String yaml) throws Exception {
    DataPlaneConfig parsed = ConfigLoader.parse(yaml);
    LongSupplier clock = System::currentTimeMillis;
    TableRegistry tables = new TableRegistry(1000, clock);
    PersistenceCatalog persistence =
        PersistenceCatalog.build(
            parsed, PersistenceCatalog.EMPTY, tables, CookieKeySet.random(), clock);
    PoolCatalog pools = PoolCatalog.build(parsed, PoolCatalog.EMPTY, persistence::forPool, clock);
    ScriptCatalog scripts =
        ScriptCatalog.build(
            parsed,
            ScriptCatalog.EMPTY,
            pools,
            new DataScriptEngine(ScriptLimits.DEFAULT, new DataPlaneMetrics()),
            tables,
            clock,
            (script, key) -> {
              throw new AssertionError("no crypto keys in stage tests");
            });
    return RuntimeConfig.of(parsed, pools, scripts, TlsCatalog.EMPTY);
  }

  /**
   * {@link #full} of two virtual services on {@link #PORT}, {@code scripted} (scripted.example,
   * DataScript {@code s}) and {@code plain} (plain.example), sharing pool {@code web} with cookie
   * persistence; {@code events} is the YAML of {@code s}'s events.
   */
  static RuntimeConfig scriptedAndPlain(String events) throws Exception {
    return full(
        """
        version: "1"
        virtualServices:
          - {name: scripted, port: %1$d, hostnames: [scripted.example], pool: web, dataScripts: [s]}
          - {name: plain, port: %1$d, hostnames: [plain.example], pool: web}
        pools:
          - {name: web, persistenceProfile: sticky, servers: [{name: a, ip: 127.0.0.1, port: 9}]}
        persistenceProfiles:
          - {name: sticky, type: HttpCookie, httpCookie: {name: LB}}
        dataScripts:
          - name: s
            events:
        """
                .formatted(PORT)
            + events.indent(6));
  }

  /** An embedded client connection from {@code client}:40000 through {@code handlers}. */
  static EmbeddedChannel from(String client, ChannelHandler... handlers) {
    InetSocketAddress remote = new InetSocketAddress(client, 40000);
    return new EmbeddedChannel(handlers) {
      @Override
      protected SocketAddress remoteAddress0() {
        return remote;
      }
    };
  }

  /**
   * An exchange of a GET to {@code host} from 127.0.0.9, routed under {@code config}, with its
   * pool's first server chosen when a virtual service serves it, and its script transaction when
   * that has scripts.
   */
  static Exchange exchange(RuntimeConfig config, String host) {
    return exchange(config, get(host, HttpVersion.HTTP_1_1));
  }

  /** An exchange of {@code head} under {@code config}, routed as {@link #exchange} does. */
  static Exchange exchange(RuntimeConfig config, HttpRequest head) {
    EmbeddedChannel route = from("127.0.0.9", new Route(() -> config, PORT));
    route.writeInbound(head);
    RoutedRequest request = route.readInbound();
    route.finishAndReleaseAll();
    Exchange e =
        new Exchange(
            request,
            request.routed() && request.vs().scripts() != null ? new ScriptTransaction() : null);
    if (request.routed()) {
      e.choice = new ServerChoice(request.vs().pool(), null, request.client());
      e.choice.next();
    }
    return e;
  }

  /**
   * An exchange of a GET to web.example under a configuration of one virtual service {@code web} on
   * {@link #PORT} with one pool {@code web} of one server.
   */
  static Exchange webExchange() throws Exception {
    return exchange(
        full(
            """
            version: "1"
            virtualServices:
              - {name: web, port: %d, hostnames: [web.example], pool: web}
            pools:
              - {name: web, servers: [{name: a, ip: 127.0.0.1, port: 9}]}
            """
                .formatted(PORT)),
        "web.example");
  }

  static HttpRequest get(String host, HttpVersion version) {
    HttpRequest head = new DefaultHttpRequest(version, HttpMethod.GET, "/path?q=1");
    if (host != null) head.headers().set("host", host);
    return head;
  }
}
