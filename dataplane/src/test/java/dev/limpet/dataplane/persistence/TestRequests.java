package dev.limpet.dataplane.persistence;

import dev.limpet.dataplane.http.ClientRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;

/** Builds request heads for persistence tests. */
final class TestRequests {
  private TestRequests() {}

  /**
   * A GET of {@code uri}.
   *
   * @param headers name, value, name, value, ...
   */
  static ClientRequest request(String uri, String... headers) {
    HttpRequest head = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
    for (int i = 0; i < headers.length; i += 2) head.headers().add(headers[i], headers[i + 1]);
    return new ClientRequest(new InetSocketAddress("192.0.2.10", 40_000), head);
  }

  /** A GET of {@code /} from {@code clientIp}. */
  static ClientRequest fromClient(String clientIp) {
    return new ClientRequest(new InetSocketAddress(clientIp, 40_000), request("/").head());
  }
}
