package dev.limpet.dataplane.server;

import dev.limpet.dataplane.http.ClientAddress;
import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.runtime.AddressBlocks;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.runtime.PortRoutes;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The PROXY protocol stage of a listener that reads one, just after Netty's {@code
 * HAProxyMessageDecoder} (v1 and v2) and before TLS and HTTP: a connection from outside the
 * listener's sources, or whose header is malformed or incomplete within the header-read timeout, is
 * closed before a byte reaches the rest of the pipeline, counted in {@code
 * limpet_refused_connections_total} and logged (rate-limited). A TCP header names the connection's
 * client ({@link ClientAddress}); a LOCAL command (the balancer's own health check), an UNKNOWN or
 * UNIX one keeps the socket's peer. The access lists that close at accept are applied here, to the
 * address the header named.
 */
final class ProxyProtocolReader extends ChannelInboundHandlerAdapter {
  static final String DECODER = "proxyProtocolDecoder";
  static final String NAME = "proxyProtocol";

  private final int port;
  private final AddressBlocks sources;
  private final long timeoutMillis;
  private final ConfigHolder config;
  private final ConnectionGuard guard;
  private final DataPlaneMetrics metrics;
  private final RefusalLog refusals;
  private ScheduledFuture<?> deadline;

  /** Refused or denied: what is left of the connection's bytes goes nowhere. */
  private boolean refused;

  ProxyProtocolReader(
      int port,
      AddressBlocks sources,
      long timeoutMillis,
      ConfigHolder config,
      ConnectionGuard guard,
      DataPlaneMetrics metrics,
      RefusalLog refusals) {
    this.port = port;
    this.sources = sources;
    this.timeoutMillis = timeoutMillis;
    this.config = config;
    this.guard = guard;
    this.metrics = metrics;
    this.refusals = refusals;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    InetAddress peer = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
    if (!sources.contains(peer)) {
      refuse(ctx, "proxy_source", "is not among the PROXY protocol sources " + sources);
      return;
    }
    deadline =
        ctx.executor()
            .schedule(
                () ->
                    refuse(
                        ctx,
                        "proxy_timeout",
                        "sent no complete PROXY header within " + timeoutMillis + " ms"),
                timeoutMillis,
                TimeUnit.MILLISECONDS);
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (refused) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (!(msg instanceof HAProxyMessage header)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      cancelDeadline();
      InetSocketAddress client = client(header);
      if (client != null) ClientAddress.proxied(ctx.channel(), client);
      PortRoutes routes = config.current().routes(port);
      // denied: stay, so that the request bytes read with the header never reach the HTTP stages
      refused =
          routes != null
              && guard.closeIfDeniedAtAccept(
                  ctx, routes, ClientAddress.of(ctx.channel()).getAddress());
      if (!refused) ctx.pipeline().remove(this);
    } finally {
      ReferenceCountUtil.release(header);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof DecoderException) {
      refuse(ctx, "proxy_header", "sent a malformed PROXY header (" + cause.getMessage() + ")");
      return;
    }
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cancelDeadline();
    ctx.fireChannelInactive();
  }

  /** The client a TCP or UDP header names; null when the socket's peer stays the client. */
  static InetSocketAddress client(HAProxyMessage header) {
    if (header.command() != HAProxyCommand.PROXY) return null;
    switch (header.proxiedProtocol().addressFamily()) {
      case AF_IPv4, AF_IPv6 -> {
        InetAddress address = NetUtil.createInetAddressFromIpAddressString(header.sourceAddress());
        return address == null ? null : new InetSocketAddress(address, header.sourcePort());
      }
      default -> {
        return null;
      }
    }
  }

  /** Counts, logs and closes, once (the decoder closes a malformed header's connection itself). */
  private void refuse(ChannelHandlerContext ctx, String reason, String detail) {
    cancelDeadline();
    if (refused) return;
    refused = true;
    metrics.refusedConnection(reason);
    refusals.refused(ctx.channel().remoteAddress(), port, detail);
    ctx.close();
  }

  private void cancelDeadline() {
    if (deadline != null) {
      deadline.cancel(false);
      deadline = null;
    }
  }
}
