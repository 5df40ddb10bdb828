package dev.limpet.dataplane.tls;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;

/**
 * TLS towards the servers of one virtual service: the client context and the name it sends and
 * checks ({@code serverName}, else the server's IP address).
 *
 * @param poolKey tells pooled connections made with this context from plain ones and from other
 *     contexts'
 */
public record UpstreamTls(SslContext context, String serverName, String poolKey) {

  public SslHandler newHandler(ByteBufAllocator alloc, InetSocketAddress server) {
    String peer = serverName != null ? serverName : server.getAddress().getHostAddress();
    return context.newHandler(alloc, peer, server.getPort());
  }
}
