package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.http.ClientAddress;
import dev.limpet.dataplane.script.ScriptResult;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a client without a server: the proxy's own errors and refusals, a script's reply, a
 * request that never became an exchange. One per client connection, made with its proxy handler;
 * the handler relays, this answers. What the answer means for the connection (kept open, closed,
 * the rest of the request still to read) is decided here and left on the {@link Exchange}.
 */
final class LocalAnswers {
  private static final Logger LOG = LoggerFactory.getLogger(LocalAnswers.class);

  private final ChannelHandlerContext ctx;
  private final ProxyContext context;
  private final RequestClock clock;

  LocalAnswers(ChannelHandlerContext ctx, ProxyContext context, RequestClock clock) {
    this.ctx = ctx;
    this.context = context;
    this.clock = clock;
  }

  /**
   * Sends {@code response} instead of a server's; the connection stays open only if the request's
   * body cannot follow.
   *
   * @return true when the exchange is over (the caller finishes it); false when the rest of the
   *     request is being read first (it finishes when its last part arrives)
   */
  boolean reply(Exchange e, FullHttpResponse response) {
    // a body buffered whole is already here: reading its queued parts costs nothing
    boolean bodyMayFollow =
        !e.requestComplete() && !e.requestBodyWhole() && e.request.announcesBody();
    e.responsePhase = Exchange.ResponsePhase.LOCAL;
    e.status = response.status().code();
    if (!e.request.keepAlive() || bodyMayFollow || context.draining()) e.closeAfter();
    if (e.closesClient())
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    e.dropUpstream();
    e.dropPendingBody();
    ctx.write(response);
    if (e.requestComplete() || e.closesClient()) return true;
    ctx.read(); // consume the empty rest of the request, then finish
    return false;
  }

  /** A plain-text answer {@code status}; see {@link #reply}. */
  boolean reply(Exchange e, HttpResponseStatus status, String text) {
    return reply(e, LocalReplies.of(status, text, false));
  }

  /**
   * Answers as a script asked (local response, redirect) or with {@code failure} when it failed or
   * did not answer, and applies its close_conn; see {@link #reply}.
   */
  boolean fromScript(
      Exchange e, ScriptResult result, HttpResponseStatus failure, String failureText) {
    if (result != null) e.closeAfter(result.close());
    return reply(e, LocalReplies.fromScript(result, failure, failureText));
  }

  /**
   * Refuses a request the {@link Access} stage denied with a 403, and closes; see {@link #reply}.
   */
  boolean forbid(Exchange e) {
    e.closeAfter();
    return reply(e, HttpResponseStatus.FORBIDDEN, "access denied");
  }

  /** Answers a head the codec could not decode (its cause names the status); see above. */
  void rejectMalformed(HttpRequest head) {
    Throwable cause = head.decoderResult().cause();
    HttpResponseStatus status = FramingException.statusOf(cause);
    ReferenceCountUtil.release(head);
    LOG.debug("malformed request from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    rejectUnrouted(status, status.reasonPhrase().toLowerCase(Locale.ROOT));
  }

  /**
   * Answers a request that never became an exchange (malformed, over a limit, or too slow to
   * arrive), counts and logs it; the caller closes the connection after it.
   */
  void rejectUnrouted(HttpResponseStatus status, String text) {
    context.metrics.badRequest(status.code());
    if (AccessLog.enabled()) {
      long since = clock.firstByteNanos();
      AccessLog.writeUnrouted(
          ClientAddress.of(ctx.channel()),
          status.code(),
          since == 0 ? 0 : System.nanoTime() - since);
    }
    ctx.write(LocalReplies.of(status, text, true));
  }
}
