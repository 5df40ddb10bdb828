package dev.limpet.dataplane.tls;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslProvider;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the TLS implementation: OpenSSL (BoringSSL through netty-tcnative) when its native library
 * loads, else the JDK's; either can be forced.
 */
public final class TlsProviders {
  private static final Logger LOG = LoggerFactory.getLogger(TlsProviders.class);

  private TlsProviders() {}

  /**
   * The provider for {@code preference} ({@code auto}, {@code openssl} or {@code jdk}), logged.
   *
   * @throws IllegalArgumentException for an unknown preference, or {@code openssl} when it cannot
   *     load
   */
  public static SslProvider select(String preference) {
    SslProvider chosen =
        switch (preference.toLowerCase(Locale.ROOT)) {
          case "auto" -> OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
          case "openssl" -> {
            if (!OpenSsl.isAvailable())
              throw new IllegalArgumentException(
                  "OpenSSL is not available here: " + OpenSsl.unavailabilityCause());
            yield SslProvider.OPENSSL;
          }
          case "jdk" -> SslProvider.JDK;
          default ->
              throw new IllegalArgumentException(
                  "TLS provider '" + preference + "' is not one of auto, openssl, jdk");
        };
    if (chosen == SslProvider.OPENSSL)
      LOG.info("TLS provider: OpenSSL ({})", OpenSsl.versionString());
    else
      LOG.info(
          "TLS provider: JDK {}{}",
          Runtime.version(),
          OpenSsl.isAvailable()
              ? ""
              : " (OpenSSL unavailable: " + OpenSsl.unavailabilityCause() + ")");
    return chosen;
  }
}
