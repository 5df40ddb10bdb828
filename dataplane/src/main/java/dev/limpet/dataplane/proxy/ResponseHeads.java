package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.ScriptResult;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * The response stage: what becomes of a server's response head before the client sees it. An
 * invalid head (undecodable, or naming a framing field in {@code Connection}) ends the exchange
 * with a 502, as does a 101 to a request whose WebSocket offer the proxy did not pass on (a tunnel
 * past every per-request stage); an interim (1xx) one is skipped, a 100 Continue passed on to a
 * client that asked for it; any other runs the HTTP_RESP scripts and the persistence hooks ({@link
 * ResponseHooks}), which may answer in the server's place, and is rewritten for the client:
 * hop-by-hop fields, framing, and whether each connection goes on.
 */
final class ResponseHeads {
  private final ChannelHandlerContext client;
  private final ProxyContext context;
  private final ResponseHooks hooks;
  private final ExchangeEndings endings;

  ResponseHeads(
      ChannelHandlerContext client,
      ProxyContext context,
      ResponseHooks hooks,
      ExchangeEndings endings) {
    this.client = client;
    this.context = context;
    this.hooks = hooks;
    this.endings = endings;
  }

  /**
   * Decides on {@code response}, the head the exchange's server answered with.
   *
   * @return true when it goes on to the client (rewritten); false when it does not, and the caller
   *     drops it
   */
  boolean accept(Exchange e, HttpResponse response) {
    if (response.decoderResult().isFailure()
        || HopByHopHeaders.namesFramingField(response.headers())) {
      context.metrics.upstreamError(e.pool().name(), "protocol");
      endings.abortUpstream(
          e, HttpResponseStatus.BAD_GATEWAY, "invalid response from server " + e.server().name());
      return false;
    }
    int code = response.status().code();
    if (code == 101 && !switchOffered(e, response)) {
      // a switch the proxy did not pass on (h2c, or none at all) must never become a tunnel
      context.metrics.upstreamError(e.pool().name(), "protocol");
      endings.abortUpstream(
          e,
          HttpResponseStatus.BAD_GATEWAY,
          "server " + e.server().name() + " switched protocols without a WebSocket offer");
      return false;
    }
    if (code < 200 && code != 101) {
      e.responsePhase = Exchange.ResponsePhase.INFORMATIONAL;
      if (code == 100 && HttpUtil.is100ContinueExpected(e.head()))
        client.writeAndFlush(
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
      return false;
    }
    e.status = code;
    e.upstreamAfter =
        code != 101 && HttpUtil.isKeepAlive(response)
            ? Exchange.UpstreamAfter.REUSE
            : Exchange.UpstreamAfter.CLOSE;
    ScriptResult scripted =
        hooks.onResponse(client.channel(), e.request, e.scripts, e.choice, response);
    if (scripted != null) {
      if (!(scripted.action() instanceof ScriptResult.Proceed)) {
        // the script replaces the server's response: the reply drops that connection, body unread
        endings.scriptReply(e, scripted);
        return false;
      }
      e.closeAfter(scripted.close());
    }
    e.responsePhase = Exchange.ResponsePhase.RELAYING;
    if (forClient(e.request, response, e.closesClient() || context.draining())) e.closeAfter();
    else e.afterwards = Exchange.Afterwards.KEEP_ALIVE; // a protocol switch keeps it open
    return true;
  }

  /**
   * Whether a 101 answers a WebSocket offer the proxy passed on ({@link RequestFraming} keeps no
   * other) with a switch to WebSocket.
   */
  private static boolean switchOffered(Exchange e, HttpResponse response) {
    return e.request.upgrade()
        && RequestFraming.isWebSocket(response.headers().get(HttpHeaderNames.UPGRADE));
  }

  /**
   * Rewrites {@code response} for the client that sent {@code request}; returns whether the client
   * connection must close after it ({@code closeWanted} when the exchange already asked for that).
   */
  private static boolean forClient(
      RoutedRequest request, HttpResponse response, boolean closeWanted) {
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
