package dev.limpet.dataplane.tls;

import dev.limpet.contract.ClientCertificatesConfig;
import dev.limpet.contract.PemKeyPair;
import dev.limpet.contract.TlsConfig;
import dev.limpet.contract.UpstreamTlsConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslServerSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Builds every SslContext of the data plane, server and client side, with one provider: the one
 * place where protocols, ciphers, ALPN and the session policy are set.
 */
public final class TlsContexts {
  /** Only HTTP/1.1 is spoken: a client offering only h2 gets no ALPN answer and may fall back. */
  private static final ApplicationProtocolConfig HTTP_1_1 =
      new ApplicationProtocolConfig(
          Protocol.ALPN,
          SelectorFailureBehavior.NO_ADVERTISE,
          SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_1_1);

  /** h2 towards the servers of a pool that speaks HTTP/2: the dialer refuses any other answer. */
  private static final ApplicationProtocolConfig H2 =
      new ApplicationProtocolConfig(
          Protocol.ALPN,
          SelectorFailureBehavior.NO_ADVERTISE,
          SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_2);

  /** HTTP/2 preferred, HTTP/1.1 for the clients that do not offer it. */
  private static final ApplicationProtocolConfig H2_AND_HTTP_1_1 =
      new ApplicationProtocolConfig(
          Protocol.ALPN,
          SelectorFailureBehavior.NO_ADVERTISE,
          SelectedListenerFailureBehavior.ACCEPT,
          ApplicationProtocolNames.HTTP_2,
          ApplicationProtocolNames.HTTP_1_1);

  /**
   * The JDK's TLS lets a TLS 1.2 client renegotiate unless told not to (BoringSSL never lets it);
   * read once, when the JDK's first server handshake starts.
   */
  private static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

  static {
    if (System.getProperty(REJECT_RENEGOTIATION) == null)
      System.setProperty(REJECT_RENEGOTIATION, "true");
  }

  private final SslProvider provider;
  private final Set<String> supportedCiphers;
  private final TicketKeyRing ticketKeys;

  /**
   * @param ticketKeys the session ticket keys every server context seals its tickets with
   */
  public TlsContexts(SslProvider provider, TicketKeyRing ticketKeys) {
    this.provider = provider;
    this.supportedCiphers = supportedCiphers(provider);
    this.ticketKeys = ticketKeys;
  }

  public SslProvider provider() {
    return provider;
  }

  public TicketKeyRing ticketKeys() {
    return ticketKeys;
  }

  /**
   * The cipher suites of {@code tls} that this provider cannot use (the configuration is wrong).
   */
  public List<String> unsupportedCiphers(TlsConfig tls) {
    return tls.ciphers().stream().filter(c -> !supportedCiphers.contains(c)).toList();
  }

  /** What a TLS listener serves for one certificate. */
  public SslContext server(PemKeyPair pair, TlsConfig tls) throws SSLException {
    return server(pair, tls, List.of(), false);
  }

  /**
   * What a TLS listener serves for one certificate, asking clients for a certificate that chains to
   * {@code clientAuthorities} when {@code tls.clientCertificates()} is set, and offering HTTP/2
   * (ALPN h2) besides HTTP/1.1 when {@code http2}: then with only the suites of {@code tls} that
   * HTTP/2 may use with this certificate ({@link Http2Ciphers#of}, not empty), so that no handshake
   * that chooses h2 lands on a suite RFC 9113 §9.2.2 forbids.
   */
  public SslContext server(
      PemKeyPair pair, TlsConfig tls, List<X509Certificate> clientAuthorities, boolean http2)
      throws SSLException {
    SslContextBuilder builder =
        SslContextBuilder.forServer(pair.key(), pair.chain())
            .sslProvider(provider)
            .protocols(tls.protocols())
            .ciphers(
                http2 ? Http2Ciphers.of(tls, Http2Ciphers.keyAlgorithm(pair)) : tls.ciphers(),
                IdentityCipherSuiteFilter.INSTANCE)
            .applicationProtocolConfig(http2 ? H2_AND_HTTP_1_1 : HTTP_1_1);
    var clients = tls.clientCertificates();
    if (clients != null)
      builder
          .trustManager(clientAuthorities)
          .clientAuth(
              clients.mode() == ClientCertificatesConfig.Mode.REQUIRE
                  ? ClientAuth.REQUIRE
                  : ClientAuth.OPTIONAL);
    SslContext context = serverSessions(builder).build();
    // the JDK keeps sessions and ticket keys per context, so a context of another policy never
    // resumes them; OpenSSL's contexts share an ID context and the ticket keys unless told
    if (context.sessionContext() instanceof OpenSslServerSessionContext sessions
        && !sessions.setSessionIdContext(TlsPolicy.of(tls).sessionIdContext()))
      throw new SSLException("cannot set the TLS session ID context");
    ticketKeys.install(context);
    return context;
  }

  /**
   * The session policy of server contexts: a session cache and how long a session may be resumed.
   * TLS session persistence extends this.
   */
  private static SslContextBuilder serverSessions(SslContextBuilder builder) {
    return builder.sessionTimeout(300).sessionCacheSize(20_000);
  }

  /**
   * What connections to a virtual service's servers use when it re-encrypts: the servers'
   * certificates checked against {@code trusted} (the JVM's roots when empty) for the name the
   * handler is made for, or not checked at all. TLS 1.2 and 1.3 with the provider's own cipher
   * suites: the servers are not the clients the listener's list is chosen for. ALPN offers h2 alone
   * when {@code http2}, else http/1.1 alone.
   */
  public SslContext client(UpstreamTlsConfig upstream, List<X509Certificate> trusted, boolean http2)
      throws SSLException {
    SslContextBuilder builder =
        SslContextBuilder.forClient()
            .sslProvider(provider)
            .protocols(TlsConfig.PROTOCOLS)
            .applicationProtocolConfig(http2 ? H2 : HTTP_1_1);
    if (!upstream.verify()) {
      builder
          .trustManager(InsecureTrustManagerFactory.INSTANCE)
          .endpointIdentificationAlgorithm(null);
    } else {
      if (!trusted.isEmpty()) builder.trustManager(trusted);
      builder.endpointIdentificationAlgorithm("HTTPS");
    }
    return builder.build();
  }

  private static Set<String> supportedCiphers(SslProvider provider) {
    if (provider != SslProvider.JDK) return OpenSsl.availableJavaCipherSuites();
    try {
      return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no default TLS context", e);
    }
  }
}
