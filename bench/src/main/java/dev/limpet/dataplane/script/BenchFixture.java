package dev.limpet.dataplane.script;

import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.DataScriptConfig.Events;
import dev.limpet.contract.DataScriptConfig.PoolRef;
import dev.limpet.contract.ServerConfig;
import dev.limpet.dataplane.upstream.Server;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The header-persistence DataScript of the benchmark and the minimal world it runs in: one pool of
 * two servers, a map-backed default table, and exchanges that carry a True-Client-IP header.
 */
final class BenchFixture {
  static final DataScriptConfig HEADER_PERSISTENCE =
      new DataScriptConfig(
          "header-persistence",
          new Events(
              """
              local client = avi.http.get_header("True-Client-IP")
              if client then
                local server = avi.vs.table_lookup(client)
                if server and avi.pool.get_server_status("primary_pool", server, 8080) == 1 then
                  avi.pool.select("primary_pool", server, 8080)
                end
              end
              """,
              """
              local client = avi.http.get_header("True-Client-IP", avi.HTTP_REQUEST)
              if client then
                avi.vs.table_insert(client, avi.pool.server_ip())
              end
              """,
              null),
          List.of(new PoolRef("primary-pool", "primary_pool")));

  final Server a = server("10.0.0.1");
  final Server b = server("10.0.0.2");
  final Map<String, String> table = new ConcurrentHashMap<>();

  VirtualServiceScripts scripts(CompiledDataScript script, ScriptLimits limits) {
    ScriptTable defaultTable = new MapTable(table);
    ScriptTables tables =
        new ScriptTables() {
          @Override
          public ScriptTable defaultTable() {
            return defaultTable;
          }

          @Override
          public ScriptTable named(String name) {
            throw new UnsupportedOperationException(name);
          }
        };
    ScriptMetrics metrics =
        new ScriptMetrics() {
          @Override
          public void failed(ScriptFailure failure) {
            throw new IllegalStateException(failure.toString());
          }

          @Override
          public void selectionFallback(
              String vs, String script, String pool, SelectionFallback reason) {}
        };
    return new DataScriptEngine(limits, metrics)
        .virtualService("web", "primary-pool", List.of(script), tables, pool -> List.of(a, b));
  }

  private static Server server(String ip) {
    return new Server(
        new ServerConfig(null, ip, 8080, 0, null, false, null), 0, 0, System::currentTimeMillis);
  }

  /** A table without expiry: the benchmark measures the script, not the table. */
  private record MapTable(Map<String, String> entries) implements ScriptTable {
    @Override
    public boolean insert(String key, String value, long lifetimeMillis) {
      entries.putIfAbsent(key, value);
      return true;
    }

    @Override
    public Entry lookup(String key, long extendMillis) {
      String value = entries.get(key);
      return value == null ? null : new Entry(value, 300_000);
    }

    @Override
    public boolean refresh(String key, long extendMillis) {
      return entries.containsKey(key);
    }

    @Override
    public void remove(String key) {
      entries.remove(key);
    }
  }

  /** One client's request, answered by {@code server}. */
  static final class Exchange implements ScriptExchange {
    private static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.1", 40000);
    private static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 8080);
    private final HttpRequest request;
    private HttpResponse response;
    private Server server;

    Exchange(String clientIp) {
      this(clientIp, "/");
    }

    /** A request for {@code uri} from the client the True-Client-IP header names. */
    Exchange(String clientIp, String uri) {
      request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
      request.headers().set("True-Client-IP", clientIp);
    }

    void respond(Server server) {
      this.server = server;
      response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    }

    @Override
    public InetSocketAddress clientAddress() {
      return CLIENT;
    }

    @Override
    public InetSocketAddress localAddress() {
      return LOCAL;
    }

    @Override
    public boolean secure() {
      return false;
    }

    @Override
    public HttpRequest request() {
      return request;
    }

    @Override
    public HttpResponse response() {
      return response;
    }

    @Override
    public Server respondingServer() {
      return server;
    }

    @Override
    public void log(String line) {}
  }
}
