package dev.limpet.dataplane.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport every event loop, listener and upstream connection of the data plane uses:
 * io_uring or epoll where the Linux kernel offers them, NIO everywhere.
 *
 * @param name the setting's word for it: {@code io_uring}, {@code epoll} or {@code nio}
 */
public record Transport(
    String name,
    IoHandlerFactory ioHandlerFactory,
    Class<? extends ServerSocketChannel> serverChannel,
    Class<? extends SocketChannel> clientChannel) {
  private static final Logger LOG = LoggerFactory.getLogger(Transport.class);

  /** A transport Netty offers, and how to ask whether this machine can run it. */
  public enum Kind {
    IO_URING("io_uring"),
    EPOLL("epoll"),
    NIO("nio");

    private final String setting;

    Kind(String setting) {
      this.setting = setting;
    }

    public String setting() {
      return setting;
    }

    /** Why this machine cannot run it (kernel, seccomp, platform), or null when it can. */
    Throwable unavailabilityCause() {
      return switch (this) {
        case IO_URING -> IoUring.isAvailable() ? null : IoUring.unavailabilityCause();
        case EPOLL -> Epoll.isAvailable() ? null : Epoll.unavailabilityCause();
        case NIO -> null;
      };
    }

    Transport transport() {
      return switch (this) {
        case IO_URING ->
            new Transport(
                setting,
                IoUringIoHandler.newFactory(),
                IoUringServerSocketChannel.class,
                IoUringSocketChannel.class);
        case EPOLL ->
            new Transport(
                setting,
                EpollIoHandler.newFactory(),
                EpollServerSocketChannel.class,
                EpollSocketChannel.class);
        case NIO ->
            new Transport(
                setting,
                NioIoHandler.newFactory(),
                NioServerSocketChannel.class,
                NioSocketChannel.class);
      };
    }
  }

  /**
   * What {@code auto} tries, first available wins. The order is the default the anchors benchmark
   * decides (bench/README.md): swapping the first two makes epoll the default.
   */
  static final List<Kind> AUTO_ORDER = List.of(Kind.IO_URING, Kind.EPOLL, Kind.NIO);

  /** The settings {@link #select} accepts. */
  public static final List<String> SETTINGS =
      List.of("auto", Kind.IO_URING.setting, Kind.EPOLL.setting, Kind.NIO.setting);

  /**
   * A choice and the transports {@code auto} passed over to reach it, each with why.
   *
   * @param passedOver in {@link #AUTO_ORDER} order; empty for an explicit setting
   */
  record Choice(Kind kind, Map<Kind, Throwable> passedOver) {}

  /** What {@code auto} picks on this machine, not logged (tests, tools). */
  public static Transport best() {
    return choose("auto", Kind::unavailabilityCause).kind().transport();
  }

  /**
   * The transport for {@code setting} ({@code auto}, {@code io_uring}, {@code epoll} or {@code
   * nio}), logged at INFO with, when {@code auto} fell back, why each faster one was passed over.
   *
   * @throws IllegalArgumentException for an unknown setting, or an explicit transport this machine
   *     cannot run (the message carries Netty's reason)
   */
  public static Transport select(String setting) {
    Choice choice = choose(setting, Kind::unavailabilityCause);
    if (choice.passedOver().isEmpty()) LOG.info("transport: {}", choice.kind().setting);
    else
      LOG.info(
          "transport: {} ({})",
          choice.kind().setting,
          choice.passedOver().entrySet().stream()
              .map(e -> e.getKey().setting + " unavailable: " + e.getValue())
              .collect(Collectors.joining("; ")));
    return choice.kind().transport();
  }

  /**
   * The choice for {@code setting} given what this machine can run.
   *
   * @param unavailability why a kind cannot run here, or null when it can
   */
  static Choice choose(String setting, Function<Kind, Throwable> unavailability) {
    String word = checkSetting(setting);
    if (word.equals("auto")) {
      Map<Kind, Throwable> passedOver = new LinkedHashMap<>();
      for (Kind kind : AUTO_ORDER) {
        Throwable cause = unavailability.apply(kind);
        if (cause == null) return new Choice(kind, passedOver);
        passedOver.put(kind, cause);
      }
      // NIO is last and always runs; reaching here means AUTO_ORDER lost it
      throw new IllegalStateException("no transport available: " + passedOver);
    }
    Kind kind =
        Arrays.stream(Kind.values()).filter(k -> k.setting.equals(word)).findFirst().orElseThrow();
    Throwable cause = unavailability.apply(kind);
    if (cause != null)
      throw new IllegalArgumentException(kind.setting + " is not available here: " + cause, cause);
    return new Choice(kind, Map.of());
  }

  /**
   * The setting in lower case.
   *
   * @throws IllegalArgumentException when it is not one of {@link #SETTINGS}
   */
  public static String checkSetting(String setting) {
    String word = setting.toLowerCase(Locale.ROOT);
    if (!SETTINGS.contains(word))
      throw new IllegalArgumentException(
          "'" + setting + "' is not one of " + String.join(", ", SETTINGS));
    return word;
  }

  public EventLoopGroup newGroup(int threads) {
    return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory);
  }
}
