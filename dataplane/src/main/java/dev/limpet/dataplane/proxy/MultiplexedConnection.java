package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.upstream.Server;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/2 connection to a server and the streams it carries. Each exchange gets a stream child
 * channel whose pipeline turns frames into the HTTP objects the relay moves ({@link
 * UpstreamStreamCodec}) and ends in an {@link UpstreamHandler}, so an exchange cannot tell it from
 * an HTTP/1.1 connection: a stream reset or a GOAWAY that drops it closes its channel, as a server
 * closes an HTTP/1.1 connection. The connection closes once it has no stream left after a GOAWAY,
 * or after a minute without one.
 */
final class MultiplexedConnection {
  private static final Logger LOG = LoggerFactory.getLogger(MultiplexedConnection.class);
  private static final String FRAMES = "h2frames";
  private static final String STREAMS = "h2streams";
  private static final long IDLE_SECONDS = 60;

  /** Header blocks a server may send per stream (as the HTTP/1.1 decoder's limit). */
  private static final int MAX_HEADER_LIST_BYTES = 64 * 1024;

  private final Server server;
  private Channel channel;
  private Future<Channel> ready;

  /** Whether the server counts this connection as one with room for a stream (any loop reads). */
  private volatile boolean room;

  /** Streams opened or being opened: counted before the server knows of them. */
  private int streams;

  private ScheduledFuture<?> idleClose;

  MultiplexedConnection(Server server) {
    this.server = server;
  }

  /** Completes a new connection's pipeline (after TLS, if any). */
  void initPipeline(Channel ch) {
    Http2FrameCodec frames =
        Http2FrameCodecBuilder.forClient()
            .initialSettings(
                Http2Settings.defaultSettings()
                    .pushEnabled(false)
                    .maxHeaderListSize(MAX_HEADER_LIST_BYTES))
            // a stream beyond the server's limit waits for a free one instead of failing
            .encoderEnforceMaxConcurrentStreams(true)
            .build();
    ch.pipeline()
        .addLast(FRAMES, frames)
        .addLast(STREAMS, new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()))
        .addLast(
            "h2errors",
            new ChannelInboundHandlerAdapter() {
              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                LOG.debug("HTTP/2 connection {} failed: {}", ctx.channel(), cause.toString());
                ctx.close();
              }
            });
  }

  void dialed(ServerDialer.Dial dial) {
    this.channel = dial.channel();
    this.ready = dial.ready();
    room(true);
    channel.closeFuture().addListener(f -> room(false));
    ready.addListener(
        f -> {
          if (f.isSuccess()) ConnectionWindow.open(channel);
        });
  }

  /**
   * Whether a new stream may go here: the connection is (being) opened, the server has not sent
   * GOAWAY, and the streams are under the server's limit of concurrent ones and under what the
   * connection's receive window holds ({@link ConnectionWindow#STREAMS}), whichever is lower.
   */
  boolean takesStream() {
    Http2FrameCodec frames = channel.pipeline().get(Http2FrameCodec.class);
    boolean takes =
        channel.isOpen()
            && frames != null
            && !frames.connection().goAwayReceived()
            && streams
                < Math.min(
                    frames.connection().local().maxActiveStreams(), ConnectionWindow.STREAMS);
    room(takes);
    return takes;
  }

  /**
   * Tells the server whether this connection takes streams, so that a server at its connection
   * limit stays selectable while one of its connections has room. Call on the connection's loop.
   */
  private void room(boolean now) {
    if (now == room || (now && !channel.isOpen())) return;
    room = now;
    server.connectionRoom(now);
  }

  /** Whether the connection had room for a stream when last asked (from any event loop). */
  boolean hadRoom() {
    return room;
  }

  /**
   * A stream for an exchange of another event loop, opened on this connection's loop; it fails with
   * the server's connection limit when the connection has no room by then. The stream's events
   * reach the exchange on its own loop ({@link UpstreamHandler}).
   */
  Future<Channel> openStreamFor(EventLoop loop) {
    Promise<Channel> opened = loop.newPromise();
    channel
        .eventLoop()
        .execute(
            () -> {
              if (!takesStream()) {
                opened.setFailure(new UpstreamConnectionPool.ConnectionLimitException(server));
                return;
              }
              openStream()
                  .addListener(
                      f -> {
                        if (f.isSuccess()) {
                          if (!opened.trySuccess((Channel) f.getNow()))
                            ((Channel) f.getNow()).close();
                        } else opened.tryFailure(f.cause());
                      });
            });
    return opened;
  }

  EventLoop loop() {
    return channel.eventLoop();
  }

  /** A stream for one exchange, once the connection is ready. */
  Future<Channel> openStream() {
    streams++;
    if (idleClose != null) {
      idleClose.cancel(false);
      idleClose = null;
    }
    Promise<Channel> opened = channel.eventLoop().newPromise();
    if (ready.isDone()) open(opened);
    else ready.addListener(f -> open(opened));
    return opened;
  }

  private void open(Promise<Channel> opened) {
    if (!ready.isSuccess()) {
      streamClosed();
      opened.setFailure(ready.cause());
      return;
    }
    new Http2StreamChannelBootstrap(channel)
        .option(ChannelOption.AUTO_READ, false)
        .handler(
            new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel stream) {
                stream
                    .pipeline()
                    .addLast(UpstreamConnectionPool.CODEC, new UpstreamStreamCodec())
                    .addLast(UpstreamHandler.NAME, new UpstreamHandler());
              }
            })
        .open()
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                streamClosed();
                opened.setFailure(f.cause());
                return;
              }
              Http2StreamChannel stream = (Http2StreamChannel) f.getNow();
              stream.closeFuture().addListener(x -> streamClosed());
              opened.setSuccess(stream);
            });
  }

  private void streamClosed() {
    streams--;
    takesStream(); // updates the server's count of connections with room
    if (streams > 0 || !channel.isOpen()) return;
    Http2FrameCodec frames = channel.pipeline().get(Http2FrameCodec.class);
    if (frames == null || frames.connection().goAwayReceived()) {
      channel.close(); // the server is going away and nothing is left on the connection
      return;
    }
    idleClose =
        channel
            .eventLoop()
            .schedule(
                () -> {
                  if (streams == 0) channel.close();
                },
                IDLE_SECONDS,
                TimeUnit.SECONDS);
  }
}
