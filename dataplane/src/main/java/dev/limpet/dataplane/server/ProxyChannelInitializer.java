package dev.limpet.dataplane.server;

import dev.limpet.dataplane.proxy.Access;
import dev.limpet.dataplane.proxy.FirstResponseGate;
import dev.limpet.dataplane.proxy.Forwarding;
import dev.limpet.dataplane.proxy.FrontendCodec;
import dev.limpet.dataplane.proxy.FrontendHandler;
import dev.limpet.dataplane.proxy.ListenerSettings;
import dev.limpet.dataplane.proxy.Misdirection;
import dev.limpet.dataplane.proxy.ProxyContext;
import dev.limpet.dataplane.proxy.RequestBodyBuffer;
import dev.limpet.dataplane.proxy.RequestClock;
import dev.limpet.dataplane.proxy.RequestFraming;
import dev.limpet.dataplane.proxy.RequestScripts;
import dev.limpet.dataplane.proxy.Route;
import dev.limpet.dataplane.proxy.SizedHeadersFactory;
import dev.limpet.dataplane.proxy.StreamEnding;
import dev.limpet.dataplane.proxy.StreamMessages;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.runtime.PortRoutes;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.tls.ClientHelloReader;
import dev.limpet.dataplane.tls.ListenerTls;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerAdapter;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of a client connection, as a list of named steps: limits and access at accept → the
 * PROXY protocol header on listeners that read one (it names the client; see {@link
 * ProxyProtocolReader}) → TLS (on TLS ports: what the ClientHello offers to resume is noted for TLS
 * persistence, SNI picks the certificate, then the handshake) → HTTP codec (strict: see {@link
 * FrontendCodec}; the clock before it starts the header-read timeout) → request framing checks →
 * body buffering for the scripts that read bodies → route (Host → virtual service) → on TLS ports,
 * misdirection (421 for a Host the SNI name's certificate does not serve, {@link Misdirection}) →
 * access lists → forwarding headers (hop-by-hop out, X-Forwarded-* in) → request scripts (HTTP_REQ)
 * → proxy. The proxy ({@link FrontendHandler}) runs each exchange through its own stages, one class
 * each: persistence, selection and connect (ServerConnector) → upstream relay with back-pressure
 * (UpstreamRelay) → response scripts and persistence hooks (ResponseHeads) → end, or a byte tunnel
 * after a protocol switch (TunnelHandler); timeouts (Timeouts) and undecodable bodies
 * (MalformedBodies) cut an exchange short, and LocalAnswers answers without a server.
 *
 * <p>HTTP/2 (on ports where a virtual service enables it): after TLS, ALPN may choose h2 ({@link
 * AlpnSwitch}); on a plain port the client preface says h2c ({@link PrefaceDetector}). Either way
 * {@link Http2Frontend} replaces the stages from the clock on with the frame codec and a stream
 * multiplexer, and each stream runs the frame-to-message codec ({@link StreamMessages}) → the same
 * stages from the framing checks on, with {@link Misdirection} (421) after routing and {@link
 * FirstResponseGate} before the request scripts (a connection's first requests wait for the first
 * response where the scripts learn pins from responses).
 *
 * <p>One instance serves the listener's connections: added to each accepted channel, it builds the
 * pipeline when the channel is registered on its event loop and takes itself out. Netty's {@code
 * ChannelInitializer} does the same but also keeps a concurrent set of the contexts it is
 * initialising (a node per connection) to guard against re-entrance, which cannot happen here: the
 * handler is added once, before registration, and its {@code handlerAdded} runs once.
 */
@ChannelHandler.Sharable
final class ProxyChannelInitializer extends ChannelHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyChannelInitializer.class);

  /** Room for the method and version around the URI on the request line. */
  private static final int REQUEST_LINE_OVERHEAD = 32;

  /** The stages a connection that turns to HTTP/2 leaves: its streams have their own. */
  private static final List<String> HTTP1_STAGES =
      List.of(
          RequestClock.NAME,
          FrontendHandler.CODEC,
          RequestFraming.NAME,
          RequestBodyBuffer.NAME,
          Route.NAME,
          Misdirection.NAME,
          Access.NAME,
          Forwarding.NAME,
          RequestScripts.NAME,
          FrontendHandler.NAME);

  private final int port;
  private final ConnectionGuard guard;
  private final ProxyContext context;
  private final ConfigHolder config;
  private final Access access;
  private final Misdirection tlsMisdirection;
  private final Misdirection streamMisdirection;
  private final RefusalLog refusals =
      new RefusalLog(LoggerFactory.getLogger(ProxyProtocolReader.class), System::nanoTime);

  // made once per listener: a method reference, a lambda or a text per connection is an object
  private final Supplier<RuntimeConfig> currentConfig;
  private final ToIntFunction<HttpRequest> bodyLimits;
  private final AsciiString portText;

  /** The settings of the last configuration's routes: built once per configuration. */
  private volatile PortSettings lastSettings;

  ProxyChannelInitializer(
      int port, ConnectionGuard guard, ProxyContext context, ConfigHolder config) {
    this.port = port;
    this.guard = guard;
    this.context = context;
    this.config = config;
    this.currentConfig = config::current;
    this.bodyLimits = RequestBodyBuffer.limitsFor(config, port);
    this.portText = Forwarding.portText(port);
    this.access = new Access(context.metrics());
    this.tlsMisdirection = Misdirection.forTlsConnection(port);
    this.streamMisdirection = Misdirection.forHttp2Stream(port);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    try {
      initChannel(ctx.channel());
    } catch (RuntimeException | Error e) {
      // what ChannelInitializer does: a connection whose pipeline could not be built is closed
      LOG.warn("could not build the pipeline of a connection on port {}: closing it", port, e);
      ctx.close();
    } finally {
      if (!ctx.isRemoved()) ctx.pipeline().remove(this);
    }
  }

  private void initChannel(Channel ch) {
    PortRoutes routes = config.current().routes(port);
    PortSettings listener = portSettings(routes);
    ListenerSettings settings = listener.settings();
    RequestClock clock = new RequestClock();
    // made once per connection and shared by its HTTP/2 streams, which run on its event loop
    Forwarding forwarding = new Forwarding(settings.tls(), portText);
    ch.pipeline().addLast(ConnectionGuard.NAME, guard);
    if (routes != null && routes.proxySources() != null)
      ch.pipeline()
          .addLast(ProxyProtocolReader.DECODER, new HAProxyMessageDecoder())
          .addLast(
              ProxyProtocolReader.NAME,
              new ProxyProtocolReader(
                  port,
                  routes.proxySources(),
                  settings.headerReadMs(),
                  config,
                  guard,
                  context.metrics(),
                  refusals));
    Http2Frontend http2 =
        routes == null || routes.http2() == null
            ? null
            : new Http2Frontend(
                routes.http2(),
                settings.clientIdleMs(),
                HTTP1_STAGES,
                stream -> streamStages(stream, listener, forwarding),
                context.metrics());
    if (routes != null && routes.tls() != null) {
      ch.pipeline()
          .addLast(ClientHelloReader.NAME, routes.tls().newHelloReader())
          .addLast(ListenerTls.HANDLER, routes.tls().newHandler());
      if (http2 != null) ch.pipeline().addLast(AlpnSwitch.NAME, new AlpnSwitch(http2));
    } else if (http2 != null) {
      ch.pipeline().addLast(PrefaceDetector.NAME, new PrefaceDetector(http2));
    }
    ch.pipeline()
        .addLast(RequestClock.NAME, clock)
        .addLast(FrontendHandler.CODEC, new FrontendCodec(listener.decoder()))
        .addLast(RequestFraming.NAME, RequestFraming.INSTANCE);
    exchangeStages(ch.pipeline(), listener, clock, forwarding);
    if (routes != null && routes.tls() != null)
      ch.pipeline().addAfter(Route.NAME, Misdirection.NAME, tlsMisdirection);
  }

  /** The listener's settings and decoder limits under {@code routes}, the last ones if the same. */
  private PortSettings portSettings(PortRoutes routes) {
    PortSettings last = lastSettings;
    if (last != null && last.routes() == routes) return last;
    ListenerSettings settings = ListenerSettings.of(routes);
    PortSettings built =
        new PortSettings(
            routes,
            settings,
            new HttpDecoderConfig()
                .setMaxInitialLineLength(settings.maxUriBytes() + REQUEST_LINE_OVERHEAD)
                .setMaxHeaderSize(settings.maxHeaderBytes())
                .setMaxChunkSize(64 * 1024)
                .setHeadersFactory(SizedHeadersFactory.HEADERS)
                .setTrailersFactory(SizedHeadersFactory.TRAILERS)
                // a line must end with CRLF: a bare LF is read as an end of line by some servers
                .setStrictLineParsing(true),
            new StreamMessages(settings.maxUriBytes()),
            new RequestScripts(context, port, settings.tls()),
            new FrontendHandler.ListenerParts(context, port, settings));
    lastSettings = built;
    return built;
  }

  /**
   * A port's connection settings, request decoder limits, HTTP/2 stream codec, request-scripts
   * stage and proxy handlers' shared parts under one configuration's routes, shared by its
   * connections (the decoder only reads its limits, as server connections share theirs; the stream
   * codec, the scripts stage and the proxy's parts keep nothing per connection).
   */
  private record PortSettings(
      PortRoutes routes,
      ListenerSettings settings,
      HttpDecoderConfig decoder,
      StreamMessages streamCodec,
      RequestScripts requestScripts,
      FrontendHandler.ListenerParts proxy) {}

  /**
   * The stages of an HTTP/2 stream: the frame-to-message codec ({@link StreamMessages}) and {@link
   * StreamEnding} (how the stream ends where a connection would close) in place of the HTTP/1
   * codec, then the same stages as an HTTP/1 connection's, with {@link Misdirection} after routing
   * and {@link FirstResponseGate} before the request scripts.
   */
  private void streamStages(ChannelPipeline stream, PortSettings listener, Forwarding forwarding) {
    RequestClock clock = new RequestClock();
    stream
        .addLast(StreamMessages.NAME, listener.streamCodec())
        .addLast(StreamEnding.NAME, new StreamEnding(listener.settings().clientIdleMs()))
        .addLast(RequestClock.NAME, clock)
        .addLast(RequestFraming.NAME, RequestFraming.INSTANCE);
    exchangeStages(stream, listener, clock, forwarding);
    stream.addAfter(Route.NAME, Misdirection.NAME, streamMisdirection);
    stream.addBefore(
        RequestScripts.NAME,
        FirstResponseGate.NAME,
        new FirstResponseGate(context.metrics(), clock));
  }

  /** The stages after the codec and framing checks, the same for HTTP/1 and HTTP/2 streams. */
  private void exchangeStages(
      ChannelPipeline p, PortSettings listener, RequestClock clock, Forwarding forwarding) {
    p.addLast(RequestBodyBuffer.NAME, new RequestBodyBuffer(bodyLimits))
        .addLast(Route.NAME, new Route(currentConfig, port))
        .addLast(Access.NAME, access)
        .addLast(Forwarding.NAME, forwarding)
        .addLast(RequestScripts.NAME, listener.requestScripts())
        .addLast(FrontendHandler.NAME, new FrontendHandler(context, listener.proxy(), clock));
  }
}
