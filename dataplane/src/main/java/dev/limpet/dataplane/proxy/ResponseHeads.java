package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** Turns a server's response head into the one the client gets: hop-by-hop fields and framing. */
final class ResponseHeads {
  private ResponseHeads() {}

  /**
   * Rewrites {@code response} for the client that sent {@code request}; returns whether the client
   * connection must close after it ({@code closeWanted} when the exchange already asked for that).
   */
  static boolean forClient(RoutedRequest request, HttpResponse response, boolean closeWanted) {
    int code = response.status().code();
    HopByHopHeaders.strip(response.headers(), code == 101 && request.upgrade());
    boolean close = (closeWanted || !request.keepAlive()) && code != 101;
    if (request.http10()) {
      response.setProtocolVersion(HttpVersion.HTTP_1_0);
      if (HttpUtil.isTransferEncodingChunked(response)) {
        // HTTP/1.0 has no chunked framing: the body ends when the connection does
        HttpUtil.setTransferEncodingChunked(response, false);
        close = true;
      } else if (!close) {
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
      }
    }
    if (close) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return close;
  }
}
