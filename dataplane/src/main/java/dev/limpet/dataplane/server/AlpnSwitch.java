package dev.limpet.dataplane.server;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ApplicationProtocolNegotiationHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * After the TLS handshake of a port where a virtual service enables HTTP/2: when ALPN chose {@code
 * h2} (offered only by the certificates of such services) the connection turns to HTTP/2; else it
 * stays with the HTTP/1 stages already in place.
 */
final class AlpnSwitch extends ApplicationProtocolNegotiationHandler {
  static final String NAME = "alpn";

  private static final Logger LOG = LoggerFactory.getLogger(AlpnSwitch.class);

  private final Http2Frontend http2;

  AlpnSwitch(Http2Frontend http2) {
    super(ApplicationProtocolNames.HTTP_1_1);
    this.http2 = http2;
  }

  @Override
  protected void configurePipeline(ChannelHandlerContext ctx, String protocol) {
    if (ApplicationProtocolNames.HTTP_2.equals(protocol)) http2.install(ctx);
  }

  /**
   * A failed handshake closes the connection, as on ports without HTTP/2, and is logged at debug
   * only: Netty's default warning would let any client fill the log.
   */
  @Override
  protected void handshakeFailure(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
