package dev.limpet.dataplane.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;

/**
 * TLS towards the servers of one virtual service: the client context and the name it sends and
 * checks ({@code serverName}, else the server's IP address).
 *
 * @param context offers HTTP/1.1 by ALPN
 * @param h2Context the same settings offering only h2, for HTTP/2 clients (the gRPC health monitor)
 * @param poolKey tells pooled connections made with this context from plain ones and from other
 *     contexts'
 */
public record UpstreamTls(
    SslContext context, SslContext h2Context, String serverName, String poolKey) {

  public SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress server) {
    return context.newHandler(alloc, peer(server), server.getPort());
  }

  /** A handler that offers only h2 by ALPN. */
  public SslHandler newH2Handler(ByteBufAllocator alloc, InetSocketAddress server) {
    return h2Context.newHandler(alloc, peer(server), server.getPort());
  }

  private String peer(InetSocketAddress server) {
    return serverName != null ? serverName : server.getAddress().getHostAddress();
  }
}
