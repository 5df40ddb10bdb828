package dev.limpet.dataplane.persistence;

import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.http.FieldBytes;
import dev.limpet.dataplane.proxy.ScannedFields;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;

/** Request heads whose fields are the received bytes, as the HTTP/1.1 listener makes them. */
final class ScannedRequests {
  private ScannedRequests() {}

  /**
   * A GET of {@code uri} with the fields read from bytes; a head the scanner leaves to Netty (a
   * non-ASCII value) gets {@link TestRequests#request}'s ordinary container instead.
   *
   * @param headers name, value, name, value, ...
   */
  static ClientRequest request(String uri, String... headers) {
    HttpHeaders fields = ScannedFields.of(headers);
    if (fields == null) return TestRequests.request(uri, headers);
    if (!(fields instanceof FieldBytes)) throw new AssertionError("not read as bytes");
    return new ClientRequest(
        new InetSocketAddress("192.0.2.10", 40_000),
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri, fields));
  }
}
