package dev.limpet.dataplane.proxy;

import dev.limpet.contract.NetworkSecurityConfig.DenyAction;
import dev.limpet.dataplane.script.ScriptResult;
import dev.limpet.dataplane.script.ScriptTransaction;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays the requests of one client connection to pool servers and their responses back, one
 * exchange at a time (pipelined requests wait their turn). Reads are explicit: the client is read
 * only when the upstream can take more, and the upstream only when the client can, so no body is
 * ever held whole.
 */
public final class FrontendHandler extends ChannelDuplexHandler implements UpstreamListener {
  public static final String NAME = "proxy";
  public static final String CODEC = "httpCodec";
  private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);

  private final ProxyContext context;
  private final int listenerPort;
  private final ArrayDeque<Object> inbound = new ArrayDeque<>(4);

  private final Balancing balancing;

  private final ListenerSettings settings;
  private final RequestClock clock;

  private ChannelHandlerContext ctx;
  private Exchange exchange;

  private boolean closing;

  /** When the connection last became idle (no exchange), for the client-idle timeout. */
  private long idleSinceNanos;

  private ConnectionTimer timer;
  private LocalAnswers answers;
  private final Deadlines deadlines;
  private final ResponseHooks responseHooks;

  public FrontendHandler(
      ProxyContext context, int listenerPort, ListenerSettings settings, RequestClock clock) {
    this.context = context;
    this.listenerPort = listenerPort;
    this.settings = settings;
    this.clock = clock;
    this.deadlines = new Deadlines(settings);
    this.balancing = new Balancing(context.metrics);
    this.responseHooks = new ResponseHooks(context, listenerPort, settings.tls());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.timer = new ConnectionTimer(ctx.executor(), this::onTimer);
    this.answers = new LocalAnswers(ctx, context, clock);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.channel().closeFuture().addListener(f -> balancing.release());
    clock.onFirstByte(() -> wakeAt(clock.firstByteNanos() + deadlines.headerReadNanos()));
    becomeIdle();
    ctx.read();
  }

  // ---------------------------------------------------------------- client → upstream

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    inbound.add(msg);
    drainInbound();
  }

  /**
   * Handles queued client messages in order, stopping at a request that must wait for the current
   * exchange.
   */
  private void drainInbound() {
    while (!inbound.isEmpty() && !closing) {
      Object msg = inbound.peek();
      boolean head = msg instanceof HttpRequest || msg instanceof RequestMessage;
      if (exchange != null && (head || exchange.requestComplete())) return;
      inbound.poll();
      if (msg instanceof RoutedRequest request) startExchange(request);
      else if (msg instanceof ScriptedRequest scripted) startExchange(scripted);
      else if (msg instanceof ScriptAnswer answer) answer(answer);
      else if (msg instanceof Denied denied) deny(denied);
      else if (msg instanceof HttpRequest malformed) {
        closing = true;
        answers.rejectMalformed(malformed);
      } else if (msg instanceof HttpContent content) requestContent(content);
      else ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    Exchange e = exchange;
    if (e == null) {
      if (!closing) ctx.read();
      return;
    }
    if (e.upstream == null) return; // connecting: the connect completion reads on
    e.upstream.flush();
    if (!e.requestComplete() && e.upstream.isWritable()) ctx.read();
  }

  /** Starts the exchange of a request the routing and access stages let through. */
  private void startExchange(RoutedRequest request) {
    Exchange e = begin(request, null);
    if (!request.routed()) {
      if (answers.reply(e, HttpResponseStatus.NOT_FOUND, "no virtual service for this host"))
        finish(e);
      return;
    }
    e.choice = balancing.start(e.vs().pool(), null, e.clientRequest());
    choose(e);
  }

  /** Starts the exchange of a request its HTTP_REQ scripts let through, to the pool they chose. */
  private void startExchange(ScriptedRequest request) {
    Exchange e = begin(request.request(), request.scripts());
    e.choice = balancing.start(request.pool(), request.named(), e.clientRequest());
    choose(e);
  }

  /** Sends what the HTTP_REQ scripts answered, or closes the connection as they asked. */
  private void answer(ScriptAnswer answer) {
    Exchange e = begin(answer.request(), answer.scripts());
    if (answer.dropsConnection()) {
      // close_conn in the request event drops the request: nothing goes upstream
      e.status = 0;
      end(e);
      closeClient(answer.result().close() == ScriptResult.Close.RST);
      return;
    }
    if (answers.fromScript(
        e, answer.result(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "DataScript error"))
      finish(e);
  }

  /**
   * @param scripts the transaction the request's scripts ran in; null: a new one when its virtual
   *     service has scripts (its response events run in it)
   */
  private Exchange begin(RoutedRequest request, ScriptTransaction scripts) {
    clock.headReceived();
    Exchange e =
        new Exchange(
            request,
            scripts != null || !request.routed() || request.vs().scripts() == null
                ? scripts
                : new ScriptTransaction());
    exchange = e;
    if (request.head() instanceof HttpContent content) {
      // a request that arrived whole carries its body in the same message
      if (content instanceof LastHttpContent) e.requestPhase = Exchange.RequestPhase.RECEIVED;
    }
    return e;
  }

  /**
   * No valid response will come from a server (none up, connect failure, reset, timeout): the
   * HTTP_RESP_FAILED scripts may answer instead of the proxy's own error.
   */
  private void upstreamFailed(Exchange e, HttpResponseStatus status, String text) {
    ScriptResult result =
        responseHooks.onFailure(ctx.channel(), e.request, e.scripts, status.code());
    if (answers.fromScript(e, result, status, text)) finish(e);
  }

  private void requestContent(HttpContent content) {
    Exchange e = exchange;
    if (e == null) {
      content.release();
      return;
    }
    if (content.decoderResult().isFailure()) {
      content.release();
      malformedBody(e, content.decoderResult().cause());
      return;
    }
    e.requestBytes += content.content().readableBytes();
    e.lastClientActivityNanos = System.nanoTime();
    if (content instanceof LastHttpContent) {
      e.requestPhase = Exchange.RequestPhase.RECEIVED;
      if (e.upstream != null) awaitResponse(e);
    }
    if (e.answeredLocally()) {
      content.release();
      if (e.requestComplete()) finish(e);
    } else if (e.upstream == null) {
      e.pendingBody.add(content);
    } else {
      if (content.content().isReadable()) e.choice.bodySent();
      e.upstream.write(content, e.upstream.voidPromise());
    }
  }

  /**
   * The request body cannot be decoded (broken chunking): where it ends is unknown, so the upstream
   * request is aborted (its connection closed, never reused) and the client connection closed after
   * a 400 when nothing of a response was sent yet.
   */
  private void malformedBody(Exchange e, Throwable cause) {
    LOG.debug(
        "malformed request body from {}: {}", ctx.channel().remoteAddress(), cause.toString());
    context.metrics.badRequest(HttpResponseStatus.BAD_REQUEST.code());
    e.upstreamAfter = Exchange.UpstreamAfter.CLOSE;
    e.closeAfter();
    if (e.responseStarted()) {
      e.pendingBody.forEach(ReferenceCountUtil::release);
      e.pendingBody.clear();
      e.dropUpstream();
      end(e);
      closeClient();
    } else {
      if (answers.reply(e, HttpResponseStatus.BAD_REQUEST, "malformed request body")) finish(e);
    }
  }

  /** Picks a server (persistence first) and connects to it. */
  private void choose(Exchange e) {
    if (balancing.next(e.choice) == null) {
      upstreamFailed(e, e.choice.noServerStatus(), e.choice.noServerReason());
      return;
    }
    connect(e);
  }

  private void connect(Exchange e) {
    int connectMs = e.vs().config().timeouts().connectMs();
    Future<Channel> f =
        context.connections.acquire(
            e.server(), e.vs().upstreamTls(), ctx.channel().eventLoop(), connectMs);
    if (f.isDone()) onConnected(e, f);
    else f.addListener(x -> onConnected(e, f));
  }

  private void onConnected(Exchange e, Future<Channel> f) {
    if (exchange != e || e.answeredLocally()) {
      if (f.isSuccess()) f.getNow().close();
      return;
    }
    if (!f.isSuccess()) {
      context.metrics.upstreamError(e.pool().name(), UpstreamConnectionPool.failureKind(f.cause()));
      LOG.debug("connect to {} failed: {}", e.server(), f.cause().toString());
      if (e.choice.refused(e.request.idempotent())) choose(e);
      else
        upstreamFailed(
            e, HttpResponseStatus.BAD_GATEWAY, "could not connect to server " + e.server().name());
      return;
    }
    Channel upstream = f.getNow();
    e.upstream = upstream;
    e.server().requestStarted();
    UpstreamHandler.of(upstream).attach(this);
    upstream.write(e.head(), upstream.voidPromise());
    while (!e.pendingBody.isEmpty()) {
      HttpContent part = e.pendingBody.poll();
      if (part.content().isReadable()) e.choice.bodySent();
      upstream.write(part, upstream.voidPromise());
    }
    upstream.flush();
    upstream.read();
    if (e.requestComplete()) {
      awaitResponse(e);
      drainInbound();
    } else {
      wakeAt(e.lastClientActivityNanos + deadlines.clientIdleNanos());
      ctx.read();
    }
  }

  @Override
  public void onUpstreamWritable() {
    Exchange e = exchange;
    if (e != null && !e.requestComplete() && !e.answeredLocally()) ctx.read();
  }

  // ---------------------------------------------------------------- upstream → client

  @Override
  public void onUpstreamMessage(Object msg) {
    Exchange e = exchange;
    if (e == null || e.answeredLocally()) {
      ReferenceCountUtil.release(msg);
      return;
    }
    e.lastUpstreamActivityNanos = System.nanoTime();
    if (msg instanceof HttpResponse response) {
      if (!responseHead(e, response)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (!(msg instanceof HttpContent)) {
        ctx.write(response, ctx.voidPromise());
        return;
      }
    }
    if (msg instanceof HttpContent content) {
      if (content.decoderResult().isFailure()) {
        content.release();
        malformedResponseBody(e);
        return;
      }
      if (e.responsePhase == Exchange.ResponsePhase.INFORMATIONAL) {
        if (content instanceof LastHttpContent) e.responsePhase = Exchange.ResponsePhase.AWAITED;
        content.release();
        return;
      }
      e.responseBytes += content.content().readableBytes();
      ctx.write(content, ctx.voidPromise());
      if (content instanceof LastHttpContent) {
        e.responsePhase = Exchange.ResponsePhase.RELAYED;
        if (e.status == 101) switchToTunnel(e);
        else responseDone(e);
      }
    } else if (!(msg instanceof HttpResponse)) {
      ReferenceCountUtil.release(msg);
    }
  }

  /**
   * The server's body cannot be decoded (broken chunking): the client must not take what it got for
   * a whole body, so its connection is closed without the last chunk, and so is the server's.
   */
  private void malformedResponseBody(Exchange e) {
    context.metrics.upstreamError(e.pool().name(), "protocol");
    LOG.debug("malformed response body from server {}", e.server().name());
    e.upstreamAfter = Exchange.UpstreamAfter.CLOSE;
    if (!e.responseStarted()) {
      abortUpstream(
          e, HttpResponseStatus.BAD_GATEWAY, "invalid response from server " + e.server().name());
      return;
    }
    e.dropUpstream();
    end(e);
    closeClient();
  }

  /** Prepares a response head for the client; false when it must not be forwarded. */
  private boolean responseHead(Exchange e, HttpResponse response) {
    if (response.decoderResult().isFailure()
        || HopByHopHeaders.namesFramingField(response.headers())) {
      context.metrics.upstreamError(e.pool().name(), "protocol");
      abortUpstream(
          e, HttpResponseStatus.BAD_GATEWAY, "invalid response from server " + e.server().name());
      return false;
    }
    int code = response.status().code();
    if (code < 200 && code != 101) {
      e.responsePhase = Exchange.ResponsePhase.INFORMATIONAL;
      if (code == 100 && HttpUtil.is100ContinueExpected(e.head()))
        ctx.writeAndFlush(
            new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
      return false;
    }
    e.status = code;
    e.upstreamAfter =
        code != 101 && HttpUtil.isKeepAlive(response)
            ? Exchange.UpstreamAfter.REUSE
            : Exchange.UpstreamAfter.CLOSE;
    ScriptResult scripted =
        responseHooks.onResponse(ctx.channel(), e.request, e.scripts, e.choice, response);
    if (scripted != null) {
      if (!(scripted.action() instanceof ScriptResult.Proceed)) {
        // the script replaces the server's response: the reply drops that connection, body unread
        if (answers.fromScript(
            e, scripted, HttpResponseStatus.INTERNAL_SERVER_ERROR, "DataScript error")) finish(e);
        return false;
      }
      e.closeAfter(scripted.close());
    }
    e.responsePhase = Exchange.ResponsePhase.RELAYING;
    if (ResponseHeads.forClient(e.request, response, e.closesClient() || context.draining()))
      e.closeAfter();
    else e.afterwards = Exchange.Afterwards.KEEP_ALIVE; // a protocol switch keeps it open
    return true;
  }

  @Override
  public void onUpstreamReadComplete() {
    Exchange e = exchange;
    ctx.flush();
    if (e != null && !e.responseComplete() && e.upstream != null && ctx.channel().isWritable())
      e.upstream.read();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    Exchange e = exchange;
    if (ctx.channel().isWritable() && e != null && e.upstream != null && !e.responseComplete())
      e.upstream.read();
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void onUpstreamClosed() {
    Exchange e = exchange;
    if (e == null || e.responseComplete()) return;
    e.upstream = null;
    e.server().requestEnded();
    if (!e.responseStarted()) {
      // a pooled connection the server had closed: send again when nothing of the body is lost
      if (e.choice.resendAfterClose(e.request.idempotent(), e.requestComplete(), e.requestBytes)) {
        connect(e);
        return;
      }
      context.metrics.upstreamError(e.pool().name(), "reset");
      upstreamFailed(
          e,
          HttpResponseStatus.BAD_GATEWAY,
          "server " + e.server().name() + " closed the connection");
    } else {
      context.metrics.upstreamError(e.pool().name(), "reset");
      closeClient();
    }
  }

  private void responseDone(Exchange e) {
    if (!e.requestComplete()) {
      // answered before the whole request arrived: neither connection is in a known state
      e.upstreamAfter = Exchange.UpstreamAfter.CLOSE;
      e.closeAfter();
    }
    finish(e);
  }

  // ---------------------------------------------------------------- deadlines

  /** The request is sent whole: from now the server must answer within the response timeout. */
  private void awaitResponse(Exchange e) {
    e.lastUpstreamActivityNanos = System.nanoTime();
    Deadlines.Deadline deadline = deadlines.during(e);
    if (deadline.kind() != Deadlines.Kind.NONE) wakeAt(deadline.atNanos());
  }

  private void becomeIdle() {
    idleSinceNanos = System.nanoTime();
    wakeAt(idleSinceNanos + deadlines.clientIdleNanos());
  }

  private void wakeAt(long atNanos) {
    timer.wakeAt(atNanos);
  }

  /** Acts on the deadline that passed, if any, and re-arms for the next one. */
  private void onTimer() {
    if (closing || !ctx.channel().isActive()) return;
    long now = System.nanoTime();
    Exchange e = exchange;
    Deadlines.Deadline next =
        e == null
            ? deadlines.between(clock.firstByteNanos(), idleSinceNanos, !inbound.isEmpty())
            : deadlines.during(e);
    if (next.atNanos() > now) {
      if (next.kind() != Deadlines.Kind.NONE) wakeAt(next.atNanos());
      return;
    }
    switch (next.kind()) {
      case HEADER_READ -> {
        closing = true;
        answers.rejectUnrouted(
            HttpResponseStatus.REQUEST_TIMEOUT, "request headers not received in time");
      }
      case CLIENT_IDLE -> ctx.close(); // idle keep-alive connection
      case REQUEST_BODY -> {
        LOG.debug("client {} stalled its request body; closing", ctx.channel().remoteAddress());
        ctx.close();
      }
      case UPSTREAM_RESPONSE -> {
        context.metrics.upstreamError(e.pool().name(), "timeout");
        if (!e.responseStarted())
          abortUpstream(
              e,
              HttpResponseStatus.GATEWAY_TIMEOUT,
              "server " + e.server().name() + " did not answer in time");
        else closeClient();
      }
      case NONE -> {}
    }
  }

  // ---------------------------------------------------------------- endings

  private void finish(Exchange e) {
    end(e);
    if (e.upstream != null) {
      e.server().requestEnded();
      if (e.upstreamAfter == Exchange.UpstreamAfter.REUSE && e.requestComplete())
        context.connections.release(e.server(), e.upstream);
      else e.upstream.close();
    }
    if (e.closesClient()) {
      closeClient(e.afterwards == Exchange.Afterwards.RESET);
      return;
    }
    ctx.flush();
    clock.expectHead();
    becomeIdle();
    drainInbound();
    if (exchange == null && !closing) ctx.read();
  }

  /** Detaches the exchange from the connection and accounts for it. */
  private void end(Exchange e) {
    exchange = null;
    ReferenceCountUtil.release(e.head());
    long nanos = System.nanoTime() - e.startNanos;
    context.metrics.request(e.vs() == null ? "-" : e.vs().name(), e.status, nanos);
    if (AccessLog.enabled()) AccessLog.write(e, e.status, nanos);
  }

  private void abortUpstream(Exchange e, HttpResponseStatus status, String text) {
    e.closeAfter();
    upstreamFailed(e, status, text);
  }

  /** Answers a request the {@link Access} stage denied, in its turn. */
  private void deny(Denied denied) {
    if (denied.action() == DenyAction.Close) {
      clock.headReceived();
      ReferenceCountUtil.release(denied);
      closing = true;
      ctx.close();
    } else {
      Exchange e = begin(denied.request(), null);
      if (answers.forbid(e)) finish(e);
    }
  }

  private void switchToTunnel(Exchange e) {
    closing = true; // this handler is done with the connection: its timer must not act any more
    timer.cancel();
    end(e);
    e.server().requestEnded(); // the handshake is over; the connection now belongs to the tunnel
    ctx.flush();
    TunnelHandler.join(ctx.channel(), e.upstream);
  }

  private void closeClient() {
    closeClient(false);
  }

  /** Closes after what is written is sent: with a FIN, or with a TCP reset (SO_LINGER 0). */
  private void closeClient(boolean reset) {
    closing = true;
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (reset) f.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                  f.channel().close();
                });
  }

  /** Asks a client connection to close as soon as it is idle (a drain at shutdown). */
  public static void drain(Channel client) {
    client.eventLoop().execute(() -> client.pipeline().fireUserEventTriggered(DRAIN));
  }

  private static final Object DRAIN = new Object();

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    boolean idle = exchange == null && inbound.isEmpty();
    if (evt == DRAIN && idle) ctx.close();
    else if (evt != DRAIN) ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    Exchange e = exchange;
    exchange = null;
    timer.cancel();
    if (e != null) {
      e.pendingBody.forEach(ReferenceCountUtil::release);
      ReferenceCountUtil.release(e.head());
      e.dropUpstream();
    }
    inbound.forEach(ReferenceCountUtil::release);
    inbound.clear();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    ctx.close();
  }
}
