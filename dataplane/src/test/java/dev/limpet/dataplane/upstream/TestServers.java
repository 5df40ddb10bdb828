package dev.limpet.dataplane.upstream;

import dev.limpet.contract.ServerConfig;
import dev.limpet.dataplane.http.ClientRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Servers and requests for balancer and pool tests; nothing here opens a socket. */
final class TestServers {
  private TestServers() {}

  /** A server named {@code name}; see {@link #config}. */
  static Server server(String name, int ratio) {
    return new Server(config(name, ratio), 0, 0, () -> 0);
  }

  /**
   * A server named {@code name} at an address derived from the name, so that a name means the same
   * server key in every build of a test (distinct for the short names the tests use).
   */
  static ServerConfig config(String name, int ratio) {
    String ip = "10.0.0." + (Math.floorMod(name.hashCode(), 250) + 1);
    return new ServerConfig(name, ip, 80, ratio, true, false, null);
  }

  static ClientRequest fromIp(String ip) {
    return new ClientRequest(new InetSocketAddress(ip, 40000), get());
  }

  static ClientRequest withHeader(String name, String value) {
    HttpRequest head = get();
    head.headers().set(name, value);
    return new ClientRequest(new InetSocketAddress("192.0.2.1", 40000), head);
  }

  static HttpRequest get() {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
  }

  /** The names of {@code n} picks, in order. */
  static List<String> picks(Balancer balancer, ClientRequest request, int n) {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Server s = balancer.pick(request);
      names.add(s == null ? null : s.name());
    }
    return names;
  }

  /** How often each server name comes up in {@code n} picks. */
  static Map<String, Integer> shares(Balancer balancer, ClientRequest request, int n) {
    Map<String, Integer> counts = new HashMap<>();
    for (String name : picks(balancer, request, n)) counts.merge(name, 1, Integer::sum);
    return counts;
  }
}
