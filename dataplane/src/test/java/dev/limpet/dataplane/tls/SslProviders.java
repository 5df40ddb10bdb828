package dev.limpet.dataplane.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.stream.Stream;

/**
 * The TLS engines the data plane can terminate with on this machine, for the tests that run once
 * per engine: {@code @MethodSource(SslProviders.AVAILABLE)}.
 */
final class SslProviders {
  /** The method source naming {@link #available()}. */
  static final String AVAILABLE = "dev.limpet.dataplane.tls.SslProviders#available";

  private SslProviders() {}

  /** OpenSSL (netty-tcnative) where it loads, and the JDK's engine always. */
  static Stream<SslProvider> available() {
    return OpenSsl.isAvailable()
        ? Stream.of(SslProvider.OPENSSL, SslProvider.JDK)
        : Stream.of(SslProvider.JDK);
  }
}
