package dev.limpet.dataplane.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.dataplane.transport.Transport.Choice;
import dev.limpet.dataplane.transport.Transport.Kind;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The transport setting: explicit choices honoured, auto falls back in order, saying why. */
class TransportTest {
  private static final Function<Kind, Throwable> ALL = kind -> null;

  /** A machine on which {@code missing} cannot run, each for its own reason. */
  private static Function<Kind, Throwable> without(Set<Kind> missing) {
    return kind ->
        missing.contains(kind) ? new UnsupportedOperationException("no " + kind.setting()) : null;
  }

  @ParameterizedTest
  @CsvSource({"io_uring, IO_URING", "epoll, EPOLL", "nio, NIO", "EPOLL, EPOLL", "auto, IO_URING"})
  void aMachineThatRunsEverythingGetsWhatIsAsked(String setting, Kind expected) {
    Choice choice = Transport.choose(setting, ALL);
    assertThat(choice.kind()).isEqualTo(expected);
    assertThat(choice.passedOver()).isEmpty();
  }

  @Test
  void autoFallsBackToEpollWithoutIoUringAndSaysWhy() {
    Choice choice = Transport.choose("auto", without(EnumSet.of(Kind.IO_URING)));
    assertThat(choice.kind()).isEqualTo(Kind.EPOLL);
    assertThat(choice.passedOver()).containsOnlyKeys(Kind.IO_URING);
    assertThat(choice.passedOver().get(Kind.IO_URING)).hasMessage("no io_uring");
  }

  @Test
  void autoFallsBackToNioWithoutEitherNativeTransport() {
    Choice choice = Transport.choose("auto", without(EnumSet.of(Kind.IO_URING, Kind.EPOLL)));
    assertThat(choice.kind()).isEqualTo(Kind.NIO);
    assertThat(choice.passedOver()).containsOnlyKeys(Kind.IO_URING, Kind.EPOLL);
  }

  @Test
  void anExplicitTransportThisMachineCannotRunIsRefusedWithNettysReason() {
    assertThatThrownBy(() -> Transport.choose("io_uring", without(EnumSet.of(Kind.IO_URING))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "io_uring is not available here: java.lang.UnsupportedOperationException: no io_uring");
    // an explicit choice never falls back, even where another one would run
    assertThatThrownBy(() -> Transport.choose("epoll", without(EnumSet.of(Kind.EPOLL))))
        .hasMessageStartingWith("epoll is not available here");
  }

  @Test
  void anUnknownSettingIsRefused() {
    assertThatThrownBy(() -> Transport.choose("kqueue", ALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'kqueue' is not one of auto, io_uring, epoll, nio");
  }

  @Test
  void eachTransportBringsItsOwnChannels() {
    assertThat(Transport.select("nio"))
        .extracting(Transport::name, Transport::serverChannel, Transport::clientChannel)
        .containsExactly("nio", NioServerSocketChannel.class, NioSocketChannel.class);
    assertThat(Kind.EPOLL.transport())
        .extracting(Transport::name, Transport::serverChannel, Transport::clientChannel)
        .containsExactly("epoll", EpollServerSocketChannel.class, EpollSocketChannel.class);
    assertThat(Kind.IO_URING.transport())
        .extracting(Transport::name, Transport::serverChannel, Transport::clientChannel)
        .containsExactly("io_uring", IoUringServerSocketChannel.class, IoUringSocketChannel.class);
  }
}
