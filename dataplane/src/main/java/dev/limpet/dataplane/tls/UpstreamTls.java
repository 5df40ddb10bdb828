package dev.limpet.dataplane.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;

/**
 * TLS towards the servers of one virtual service: the client contexts (one offering HTTP/1.1 by
 * ALPN, one offering h2 for pools that speak HTTP/2) and the name they send and check ({@code
 * serverName}, else the server's IP address).
 *
 * @param poolKey tells pooled connections made with this context from plain ones and from other
 *     contexts'
 */
public record UpstreamTls(
    SslContext context, SslContext http2Context, String serverName, String poolKey) {

  public SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress server, boolean http2) {
    String peer = serverName != null ? serverName : server.getAddress().getHostAddress();
    return (http2 ? http2Context : context).newHandler(alloc, peer, server.getPort());
  }
}
