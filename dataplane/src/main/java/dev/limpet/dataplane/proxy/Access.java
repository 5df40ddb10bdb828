package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access-list stage: a routed request from a client its virtual service's network security
 * denies becomes {@link Denied} (counted and logged here); the proxy answers it in its turn, so a
 * refusal never overtakes the responses to earlier pipelined requests. Everything else passes on.
 */
@Sharable
public final class Access extends ChannelInboundHandlerAdapter {
  public static final String NAME = "access";
  private static final Logger LOG = LoggerFactory.getLogger(Access.class);

  private final DataPlaneMetrics metrics;

  public Access(DataPlaneMetrics metrics) {
    this.metrics = metrics;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RoutedRequest request
        && request.routed()
        && request.vs().access().denies(request.client().client().getAddress())) {
      metrics.denied(request.vs().name());
      LOG.info(
          "client {} denied by virtual service {}",
          request.client().client().getAddress().getHostAddress(),
          request.vs().name());
      ctx.fireChannelRead(new Denied(request, request.vs().access().action()));
      return;
    }
    ctx.fireChannelRead(msg);
  }
}
