package dev.limpet.dataplane.tls;

import dev.limpet.dataplane.transport.ClientConnection;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.netty.util.Mapping;
import io.netty.util.concurrent.Future;
import java.util.Map;
import java.util.Set;

/**
 * TLS termination of one listening port: which certificate's context answers which SNI name (the
 * default one without SNI or without a match). Immutable: a rotation builds a new one, and only
 * connections accepted after it see it.
 */
public final class ListenerTls {
  public static final String HANDLER = "tls";

  private static final AttributeKey<String> SERVER_NAME =
      AttributeKey.valueOf(ListenerTls.class, "serverName");

  /** The policy the connection's handshake enforced ({@link TlsPolicy}). */
  private static final AttributeKey<TlsPolicy> POLICY =
      AttributeKey.valueOf(ListenerTls.class, "policy");

  /** How long a client may take over its handshake before the connection is closed. */
  private static final long HANDSHAKE_TIMEOUT_MS = 10_000;

  /** The largest ClientHello read while looking for SNI (the TLS record limit). */
  private static final int MAX_CLIENT_HELLO = 16 * 1024;

  private final Mapping<String, SslContext> bySni;
  private final TicketKeyRing ticketKeys;
  private final Map<SslContext, Served> served;
  private final Map<String, TlsPolicy> byService;
  private final Map<SslContext, Http2Offer> http2Offers;

  /**
   * What one context of {@code bySni} serves.
   *
   * @param certificate the digest of its certificate
   * @param policy what its handshakes enforce
   */
  record Served(String certificate, TlsPolicy policy) {}

  /**
   * @param served what each context {@code bySni} maps to serves
   * @param byService the policy each virtual service demands (its TLS settings)
   * @param http2Offers for each context that offers h2 with fewer suites than configured, its
   *     HTTP/1.1 twin for the clients that offer none of its suites
   */
  ListenerTls(
      Mapping<String, SslContext> bySni,
      TicketKeyRing ticketKeys,
      Map<SslContext, Served> served,
      Map<String, TlsPolicy> byService,
      Map<SslContext, Http2Offer> http2Offers) {
    this.bySni = bySni;
    this.ticketKeys = ticketKeys;
    this.served = served;
    this.byService = byService;
    this.http2Offers = http2Offers;
  }

  /**
   * The step before {@link #newHandler}: notes what the ClientHello offers to resume, for TLS
   * persistence.
   */
  public ClientHelloReader newHelloReader() {
    return new ClientHelloReader(ticketKeys, MAX_CLIENT_HELLO);
  }

  /**
   * The first handler of a new connection: reads the SNI, then becomes the matching SslHandler (for
   * a context that offers h2, its HTTP/1.1 twin when the client offers none of the suites HTTP/2
   * may use with it: {@link Http2Offer}).
   */
  public SniHandler newHandler() {
    return new SniHandler(bySni, MAX_CLIENT_HELLO, HANDSHAKE_TIMEOUT_MS) {
      private Set<Integer> offered = Set.of();

      @Override
      protected Future<SslContext> lookup(ChannelHandlerContext ctx, ByteBuf clientHello)
          throws Exception {
        if (clientHello != null && !http2Offers.isEmpty())
          offered = Http2Ciphers.offered(clientHello);
        return super.lookup(ctx, clientHello);
      }

      @Override
      protected void replaceHandler(
          ChannelHandlerContext ctx, String hostname, SslContext sslContext) throws Exception {
        if (hostname != null) ctx.channel().attr(SERVER_NAME).set(hostname);
        Http2Offer offer = http2Offers.get(sslContext);
        SslContext chosen = offer == null ? sslContext : offer.contextFor(sslContext, offered);
        // the context chosen here runs the whole handshake (renegotiation is refused), so its
        // policy is what the connection enforced; HTTP/2's twin has the same policy
        Served context = served.get(sslContext);
        if (context != null) ctx.channel().attr(POLICY).set(context.policy());
        super.replaceHandler(ctx, hostname, chosen);
      }
    };
  }

  /**
   * True when this connection may carry a request for {@code host}, routed to {@code
   * virtualService}: the handshake enforced the policy ({@link TlsPolicy}: client certificates,
   * protocols, ciphers) that service demands now, and this listener serves {@code host} with the
   * certificate it serves the connection's SNI name with. Without SNI, or for a request without a
   * host, the name is the one the handshake maps it to: the default certificate, so a client by IP
   * address is served the hosts of the default certificate and refused those of any other.
   *
   * <p>Otherwise the request must get 421, never that service's answer: an HTTP/1.1 client could
   * send the SNI name of a service without client certificates and the Host of one that requires
   * them, an HTTP/2 client reuses a connection for every host its certificate names (RFC 9113
   * §9.1.1; contour#5240), and a configuration that adds client certificates to a service must not
   * leave connections opened before it carrying that service's requests unauthenticated. The policy
   * is compared, not the context: services that share a certificate with the same policy but other
   * settings (HTTP/2 on or off) serve each other's hosts, and a renewed certificate does not
   * disturb the connections opened before it.
   *
   * @param host lower case, without port; null: the request names none
   */
  public boolean servesOnConnection(Channel channel, String host, String virtualService) {
    Channel connection = ClientConnection.of(channel);
    TlsPolicy handshake = connection.attr(POLICY).get();
    if (handshake == null || !handshake.equals(byService.get(virtualService))) return false;
    try {
      Served serving = served.get(bySni.map(connection.attr(SERVER_NAME).get()));
      Served hosts = served.get(bySni.map(host));
      return serving != null && hosts != null && serving.certificate().equals(hosts.certificate());
    } catch (IllegalArgumentException notAHostName) {
      // the mapping turns non-ASCII names to punycode, and refuses what cannot be one
      return false;
    }
  }

  /**
   * The SNI name a client connection asked for (as Netty's SniHandler normalises it: ASCII, lower
   * case), or null when it sent none or is plain HTTP ({@code avi.ssl.server_name}).
   */
  public static String serverName(Channel channel) {
    return ClientConnection.of(channel).attr(SERVER_NAME).get();
  }
}
