package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a body that cannot be decoded (broken chunking) does to its exchange, in either direction.
 * Where such a body ends is unknown, so neither connection can carry another exchange: the server's
 * is closed, never reused, and so is the client's, after an error answer when nothing of a response
 * was sent yet, else at once, without the last chunk the client would take for a whole body.
 */
final class MalformedBodies {
  private static final Logger LOG = LoggerFactory.getLogger(MalformedBodies.class);

  private final Channel client;
  private final DataPlaneMetrics metrics;
  private final ExchangeEndings endings;

  MalformedBodies(Channel client, DataPlaneMetrics metrics, ExchangeEndings endings) {
    this.client = client;
    this.metrics = metrics;
    this.endings = endings;
  }

  /** The client's request body broke: 400, or a close when the response already started. */
  void inRequest(Exchange e, Throwable cause) {
    LOG.debug("malformed request body from {}: {}", client.remoteAddress(), cause.toString());
    metrics.badRequest(HttpResponseStatus.BAD_REQUEST.code());
    e.upstreamAfter = Exchange.UpstreamAfter.CLOSE;
    e.closeAfter();
    if (e.responseStarted()) endings.abandon(e);
    else endings.reply(e, HttpResponseStatus.BAD_REQUEST, "malformed request body");
  }

  /** The server's response body broke: 502 when none of it went out yet, else a close. */
  void inResponse(Exchange e) {
    metrics.upstreamError(e.pool().name(), "protocol");
    LOG.debug("malformed response body from server {}", e.server().name());
    e.upstreamAfter = Exchange.UpstreamAfter.CLOSE;
    if (e.responseStarted()) endings.abandon(e);
    else
      endings.abortUpstream(
          e, HttpResponseStatus.BAD_GATEWAY, "invalid response from server " + e.server().name());
  }
}
