package dev.limpet.dataplane.upstream.health;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Opens a probe's connection on a given event loop and bounds the whole probe, connect included, by
 * the monitor's timeout. The connection is closed once the probe has its result.
 */
final class ProbeConnector {
  /** Sharable; a probe adds its handlers once connected. */
  private static final ChannelInitializer<Channel> NO_HANDLERS_YET =
      new ChannelInitializer<>() {
        @Override
        protected void initChannel(Channel channel) {}
      };

  private final Bootstrap bootstrap;
  private final int timeoutMillis;

  /**
   * @param bootstrap group and channel type set; the handler and timeout are set here
   */
  ProbeConnector(Bootstrap bootstrap, int timeoutMillis) {
    this.bootstrap =
        bootstrap
            .clone()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
            .handler(NO_HANDLERS_YET);
    this.timeoutMillis = timeoutMillis;
  }

  /**
   * Connects to {@code target}; once connected, {@code onConnected} sets up the probe and completes
   * the result (or lets a handler complete it later).
   */
  CompletableFuture<ProbeResult> probe(
      EventLoop loop,
      InetSocketAddress target,
      BiConsumer<Channel, CompletableFuture<ProbeResult>> onConnected) {
    CompletableFuture<ProbeResult> result = new CompletableFuture<>();
    // Connecting on the loop itself puts the probe's handlers in place before the first read
    // (a connect to loopback can complete at once): a server that speaks first, as HTTP/2 servers
    // do with their SETTINGS, would otherwise be read by an empty pipeline and lost.
    if (loop.inEventLoop()) connect(loop, target, onConnected, result);
    else loop.execute(() -> connect(loop, target, onConnected, result));
    return result;
  }

  private void connect(
      EventLoop loop,
      InetSocketAddress target,
      BiConsumer<Channel, CompletableFuture<ProbeResult>> onConnected,
      CompletableFuture<ProbeResult> result) {
    ChannelFuture connect = bootstrap.clone(loop).connect(target);
    ScheduledFuture<?> timeout =
        loop.schedule(
            () -> result.complete(ProbeResult.fail("timeout")),
            timeoutMillis,
            TimeUnit.MILLISECONDS);
    connect.addListener(
        (ChannelFuture f) -> {
          if (!f.isSuccess()) result.complete(ProbeResult.fail(f.cause()));
          else if (!result.isDone()) onConnected.accept(f.channel(), result);
        });
    result.whenComplete(
        (r, e) -> {
          timeout.cancel(false);
          connect.channel().close();
        });
  }
}
