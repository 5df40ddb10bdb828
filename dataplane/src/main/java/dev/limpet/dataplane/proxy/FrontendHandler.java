package dev.limpet.dataplane.proxy;

import dev.limpet.contract.NetworkSecurityConfig.DenyAction;
import dev.limpet.dataplane.script.ScriptResult;
import dev.limpet.dataplane.script.ScriptTransaction;
import dev.limpet.dataplane.upstream.Pool;
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
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last stage of a client connection: runs its exchanges one at a time (pipelined requests wait
 * their turn) through the relay's stages and ends them. For each request the stages before it let
 * through: {@link ServerConnector} (persistence and selection, connect, retries) → {@link
 * UpstreamRelay} (request up, response down, with back-pressure) → {@link ResponseHeads} (response
 * scripts and persistence hooks) → end, or {@link TunnelHandler} after a protocol switch; {@link
 * Timeouts} and {@link MalformedBodies} cut an exchange short, {@link LocalAnswers} answers without
 * a server. The stages say how an exchange ends ({@link ExchangeEndings}); this handler owns the
 * connection's state (the exchange, the queue, whether it closes) and carries the ending out.
 */
public final class FrontendHandler extends ChannelDuplexHandler
    implements UpstreamListener, ExchangeEndings, ServerConnector.Connected {
  public static final String NAME = "proxy";
  public static final String CODEC = "httpCodec";
  private static final Logger LOG = LoggerFactory.getLogger(FrontendHandler.class);
  private static final Object DRAIN = new Object();

  private final ProxyContext context;
  private final Deadlines deadlines;
  private final RequestClock clock;
  private final Balancing balancing;
  private final ResponseHooks responseHooks;

  /** Client messages not handled yet: a pipelined request waits here for the current exchange. */
  private final ArrayDeque<Object> inbound = new ArrayDeque<>(4);

  private Exchange exchange;

  /** The connection is closing, or is a tunnel: nothing more is handled. */
  private boolean closing;

  private ChannelHandlerContext ctx;
  private ServerConnector connector;
  private UpstreamRelay relay;
  private ResponseHeads heads;
  private Timeouts timeouts;
  private MalformedBodies malformed;
  private LocalAnswers answers;

  /**
   * What the proxy handlers of a listener's connections share, made once per listener and
   * configuration: the response hooks and the timeouts' deadlines keep nothing per connection.
   */
  public static final class ListenerParts {
    private final ResponseHooks responseHooks;
    private final Deadlines deadlines;

    public ListenerParts(ProxyContext context, int listenerPort, ListenerSettings settings) {
      this.responseHooks = new ResponseHooks(context, listenerPort, settings.tls());
      this.deadlines = new Deadlines(settings);
    }
  }

  public FrontendHandler(ProxyContext context, ListenerParts listener, RequestClock clock) {
    this.context = context;
    this.clock = clock;
    this.balancing = new Balancing(context.metrics);
    this.responseHooks = listener.responseHooks;
    this.deadlines = listener.deadlines;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    Channel client = ctx.channel();
    connector = new ServerConnector(client.eventLoop(), context, balancing, this, this);
    relay = new UpstreamRelay(ctx);
    heads = new ResponseHeads(ctx, context, responseHooks, this);
    timeouts = new Timeouts(ctx, deadlines, clock, context.metrics, this, this::onTimer);
  }

  /** Local answers, made when the connection first needs one (most never do). */
  private LocalAnswers answers() {
    if (answers == null) answers = new LocalAnswers(ctx, context, clock);
    return answers;
  }

  /** The handling of undecodable bodies, made when the connection first meets one. */
  private MalformedBodies malformed() {
    if (malformed == null) malformed = new MalformedBodies(ctx.channel(), context.metrics, this);
    return malformed;
  }

  /**
   * Taken off a connection that turned out to speak HTTP/2 (the connection's streams have their
   * own): its timer must not act on the connection any more.
   */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    closing = true;
    timeouts.cancel();
    // taken off an open connection (a tunnel, HTTP/2): its persistence holds last until it closes
    if (ctx.channel().isActive()) ctx.channel().closeFuture().addListener(f -> balancing.release());
    else balancing.release();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
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
      else if (msg instanceof Misdirected misdirected)
        reply(
            begin(misdirected.request(), null),
            HttpResponseStatus.MISDIRECTED_REQUEST,
            "this connection does not serve this host");
      else if (msg instanceof HttpRequest malformed) {
        answers().rejectMalformed(malformed);
        closeAfterAnswer(false);
      } else if (msg instanceof HttpContent content) requestContent(content);
      else ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (exchange != null) relay.clientReadComplete(exchange);
    else if (!closing) ctx.read();
  }

  /** Starts the exchange of a request the routing and access stages let through. */
  private void startExchange(RoutedRequest request) {
    Exchange e = begin(request, null);
    if (!request.routed()) {
      reply(e, HttpResponseStatus.NOT_FOUND, "no virtual service for this host");
      return;
    }
    e.choice = balancing.start(e.vs().pool(), null, e.clientRequest());
    connector.choose(e);
  }

  /** Starts the exchange of a request its HTTP_REQ scripts let through, to the pool they chose. */
  private void startExchange(ScriptedRequest request) {
    Exchange e = begin(request.request(), request.scripts());
    e.choice = balancing.start(request.pool(), request.named(), e.clientRequest());
    connector.choose(e);
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

  /** Answers a request the {@link Access} stage denied, in its turn. */
  private void deny(Denied denied) {
    if (denied.action() == DenyAction.Close) {
      clock.headReceived();
      ReferenceCountUtil.release(denied);
      closing = true;
      ctx.close();
    } else {
      Exchange e = begin(denied.request(), null);
      if (answers().forbid(e)) finish(e);
    }
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
    if (request.arrivedWhole()) e.requestPhase = Exchange.RequestPhase.RECEIVED;
    return e;
  }

  private void requestContent(HttpContent content) {
    Exchange e = exchange;
    if (e == null) {
      content.release();
      return;
    }
    if (content.decoderResult().isFailure()) {
      content.release();
      malformed().inRequest(e, content.decoderResult().cause());
      return;
    }
    e.requestBytes += content.content().readableBytes();
    e.lastClientActivityNanos = System.nanoTime();
    if (content instanceof LastHttpContent last) {
      if (!e.answeredLocally()) {
        Pool pool = e.pool();
        TrailerFields.strip(
            last.trailingHeaders(),
            e.request.trailers(),
            e.head().headers(),
            pool == null
                ? null
                : pool.persistence() == null ? null : pool.persistence().requestField());
      }
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

  @Override
  public boolean waiting(Exchange e) {
    return exchange == e && !e.answeredLocally();
  }

  @Override
  public void connected(Exchange e, Channel upstream) {
    e.server().requestStarted();
    UpstreamHandler.of(upstream).attach(this, ctx.executor());
    relay.connected(e, upstream);
    if (e.requestComplete()) {
      timeouts.awaitResponse(e);
      drainInbound();
    } else {
      timeouts.bodyStreaming(e);
      holdStream(e); // a client or bidirectional stream: its server may answer only at the end
    }
  }

  /**
   * Holds an exchange on an HTTP/2 stream whose request or response streams against its server's
   * drain ({@link Tunnels}), once per stream.
   */
  private void holdStream(Exchange e) {
    if (!(e.upstream instanceof Http2StreamChannel) || e.streamHeld) return;
    e.streamHeld = true;
    context.tunnels.streamOpened(ctx.channel(), e.upstream, e.pool(), e.server());
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
      e.replay.done(); // the server is answering: the request is not sent again
      if (!heads.accept(e, response)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (!(msg instanceof LastHttpContent)) holdStream(e);
      if (!(msg instanceof HttpContent)) {
        relay.responseHead(response);
        return;
      }
    }
    if (!(msg instanceof HttpContent content)) {
      ReferenceCountUtil.release(msg);
    } else if (content.decoderResult().isFailure()) {
      content.release();
      malformed().inResponse(e);
    } else if (relay.responseBody(e, content)) {
      if (e.status == 101) switchToTunnel(e);
      else responseDone(e);
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
  public void onUpstreamClosed(boolean unprocessed) {
    Exchange e = exchange;
    if (e != null && !e.responseComplete()) connector.closed(e, unprocessed);
  }

  private void responseDone(Exchange e) {
    if (!e.requestComplete()) {
      // answered before the whole request arrived: neither connection is in a known state
      e.upstreamAfter = Exchange.UpstreamAfter.CLOSE;
      e.closeAfter();
    }
    finish(e);
  }

  private void switchToTunnel(Exchange e) {
    closing = true; // this handler is done with the connection: its timer must not act any more
    timeouts.cancel();
    end(e);
    e.server().requestEnded(); // the handshake is over; the connection now belongs to the tunnel
    ctx.flush();
    TunnelHandler.join(ctx.channel(), e.upstream);
    context.tunnels.opened(ctx.channel(), e.upstream, e.pool(), e.server());
  }

  private void onTimer() {
    if (!closing && ctx.channel().isActive()) timeouts.check(exchange, !inbound.isEmpty());
  }

  // ---------------------------------------------------------------- endings

  @Override
  public void reply(Exchange e, HttpResponseStatus status, String text) {
    if (answers().reply(e, status, text)) finish(e);
  }

  @Override
  public void scriptReply(Exchange e, ScriptResult result) {
    if (answers()
        .fromScript(e, result, HttpResponseStatus.INTERNAL_SERVER_ERROR, "DataScript error"))
      finish(e);
  }

  @Override
  public void serverFailed(Exchange e, HttpResponseStatus status, String text) {
    ScriptResult result =
        responseHooks.onFailure(ctx.channel(), e.request, e.scripts, status.code());
    if (answers().fromScript(e, result, status, text)) finish(e);
  }

  @Override
  public void abandon(Exchange e) {
    e.dropPendingBody();
    e.dropUpstream();
    end(e);
    closeClient();
  }

  @Override
  public void refuseConnection(HttpResponseStatus status, String text) {
    answers().rejectUnrouted(status, text);
    closeAfterAnswer(false);
  }

  /** Ends {@code e} and goes on to the next request, or closes as the exchange decided. */
  private void finish(Exchange e) {
    end(e);
    if (e.upstream != null) {
      e.server().requestEnded();
      if (e.upstreamAfter == Exchange.UpstreamAfter.REUSE && e.requestComplete())
        context.connections.release(e.server(), e.upstream);
      else UpstreamHandler.close(e.upstream);
    }
    if (e.closesClient()) {
      if (e.closeWritten) closing = true; // the response's last write closes the connection
      else closeAfterAnswer(e.afterwards == Exchange.Afterwards.RESET);
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
    e.replay.done();
    ReferenceCountUtil.release(e.head());
    long nanos = System.nanoTime() - e.startNanos;
    context.metrics.request(e.vs() == null ? "-" : e.vs().name(), e.status, nanos);
    if (AccessLog.enabled()) AccessLog.write(e, e.status, nanos);
  }

  @Override
  public void closeClient() {
    closeClient(false);
  }

  /**
   * Closes after the whole answer written is sent; an HTTP/2 stream ends alone, as {@link
   * StreamEnding} says (a {@code reset} means nothing more there: the answer stands), while the
   * connection and its other streams go on.
   */
  private void closeAfterAnswer(boolean reset) {
    if (ctx.channel() instanceof Http2StreamChannel) {
      closing = true;
      StreamEnding.of(ctx.pipeline()).afterWrites();
    } else {
      closeClient(reset);
    }
  }

  /**
   * Closes after what is written is sent: with a FIN, or with a TCP reset (SO_LINGER 0). An HTTP/2
   * stream, whose answer is cut short or absent here, is reset (CANCEL) at once.
   */
  private void closeClient(boolean reset) {
    closing = true;
    if (ctx.channel() instanceof Http2StreamChannel) {
      ctx.flush();
      ctx.close();
      return;
    }
    if (!reset) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  f.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                  f.channel().close();
                });
  }

  // ---------------------------------------------------------------- the connection

  /** Asks a client connection to close as soon as it is idle (a drain at shutdown). */
  public static void drain(Channel client) {
    client.eventLoop().execute(() -> client.pipeline().fireUserEventTriggered(DRAIN));
  }

  /** True for the event {@link #drain} sends (an HTTP/2 connection answers it with GOAWAY). */
  public static boolean isDrain(Object evt) {
    return evt == DRAIN;
  }

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
      e.dropPendingBody();
      ReferenceCountUtil.release(e.head());
      e.dropUpstream();
    }
    inbound.forEach(ReferenceCountUtil::release);
    inbound.clear();
    balancing.release();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("client connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
    // a stream error the HTTP/2 codec found (a malformed request): the multiplexer resets the
    // stream with the error's code (PROTOCOL_ERROR) right after this; a close here would be CANCEL
    if (!(cause instanceof Http2Exception && ctx.channel() instanceof Http2StreamChannel))
      ctx.close();
  }
}
