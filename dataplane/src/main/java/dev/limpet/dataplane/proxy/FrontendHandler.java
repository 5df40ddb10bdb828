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
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
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
public final class FrontendHandler extends ChannelDuplexHandler
    implements UpstreamListener, ExchangeEndings {
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

  private Timeouts timeouts;
  private UpstreamRelay relay;
  private MalformedBodies malformed;
  private LocalAnswers answers;
  private final ResponseHooks responseHooks;
  private ResponseHeads heads;

  public FrontendHandler(
      ProxyContext context, int listenerPort, ListenerSettings settings, RequestClock clock) {
    this.context = context;
    this.listenerPort = listenerPort;
    this.settings = settings;
    this.clock = clock;
    this.balancing = new Balancing(context.metrics);
    this.responseHooks = new ResponseHooks(context, listenerPort, settings.tls());
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.answers = new LocalAnswers(ctx, context, clock);
    this.relay = new UpstreamRelay(ctx);
    this.heads = new ResponseHeads(ctx, context, responseHooks, this);
    this.timeouts = new Timeouts(ctx, settings, clock, context.metrics, this, this::onTimer);
    this.malformed = new MalformedBodies(ctx.channel(), context.metrics, this);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.channel().closeFuture().addListener(f -> balancing.release());
    timeouts.start();
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
    relay.clientReadComplete(e);
  }

  /** Starts the exchange of a request the routing and access stages let through. */
  private void startExchange(RoutedRequest request) {
    Exchange e = begin(request, null);
    if (!request.routed()) {
      reply(e, HttpResponseStatus.NOT_FOUND, "no virtual service for this host");
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
    scriptReply(e, answer.result());
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
      malformed.inRequest(e, content.decoderResult().cause());
      return;
    }
    e.requestBytes += content.content().readableBytes();
    e.lastClientActivityNanos = System.nanoTime();
    if (content instanceof LastHttpContent) {
      e.requestPhase = Exchange.RequestPhase.RECEIVED;
      if (e.upstream != null) timeouts.awaitResponse(e);
    }
    if (e.answeredLocally()) {
      content.release();
      if (e.requestComplete()) finish(e);
    } else {
      relay.requestBody(e, content);
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
    e.server().requestStarted();
    UpstreamHandler.of(f.getNow()).attach(this);
    relay.connected(e, f.getNow());
    if (e.requestComplete()) {
      timeouts.awaitResponse(e);
      drainInbound();
    } else {
      timeouts.bodyStreaming(e);
    }
  }

  @Override
  public void onUpstreamWritable() {
    relay.upstreamWritable(exchange);
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
      if (!heads.accept(e, response)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (!(msg instanceof HttpContent)) {
        relay.responseHead(response);
        return;
      }
    }
    if (msg instanceof HttpContent content) {
      if (content.decoderResult().isFailure()) {
        content.release();
        malformed.inResponse(e);
        return;
      }
      if (relay.responseBody(e, content)) {
        if (e.status == 101) switchToTunnel(e);
        else responseDone(e);
      }
    } else if (!(msg instanceof HttpResponse)) {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void onUpstreamReadComplete() {
    relay.upstreamReadComplete(exchange);
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    relay.clientWritable(exchange);
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

  // ---------------------------------------------------------------- timeouts

  private void onTimer() {
    if (!closing && ctx.channel().isActive()) timeouts.check(exchange, !inbound.isEmpty());
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
    timeouts.idle();
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

  @Override
  public void abortUpstream(Exchange e, HttpResponseStatus status, String text) {
    e.closeAfter();
    upstreamFailed(e, status, text);
  }

  @Override
  public void scriptReply(Exchange e, ScriptResult result) {
    if (answers.fromScript(e, result, HttpResponseStatus.INTERNAL_SERVER_ERROR, "DataScript error"))
      finish(e);
  }

  @Override
  public void reply(Exchange e, HttpResponseStatus status, String text) {
    if (answers.reply(e, status, text)) finish(e);
  }

  @Override
  public void abandon(Exchange e) {
    e.pendingBody.forEach(ReferenceCountUtil::release);
    e.pendingBody.clear();
    e.dropUpstream();
    end(e);
    closeClient();
  }

  @Override
  public void refuseConnection(HttpResponseStatus status, String text) {
    closing = true;
    answers.rejectUnrouted(status, text);
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
    timeouts.cancel();
    end(e);
    e.server().requestEnded(); // the handshake is over; the connection now belongs to the tunnel
    ctx.flush();
    TunnelHandler.join(ctx.channel(), e.upstream);
  }

  @Override
  public void closeClient() {
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
    timeouts.cancel();
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
