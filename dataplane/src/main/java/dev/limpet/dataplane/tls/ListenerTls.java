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

  private static final AttributeKey<SslContext> CERTIFICATE =
      AttributeKey.valueOf(ListenerTls.class, "certificate");

  /** How long a client may take over its handshake before the connection is closed. */
  private static final long HANDSHAKE_TIMEOUT_MS = 10_000;

  /** The largest ClientHello read while looking for SNI (the TLS record limit). */
  private static final int MAX_CLIENT_HELLO = 16 * 1024;

  private final Mapping<String, SslContext> bySni;
  private final TicketKeyRing ticketKeys;
  private final Map<String, Set<SslContext>> byService;
  private final Map<SslContext, Http2Offer> http2Offers;

  /**
   * @param byService each virtual service's contexts (its certificates with its TLS settings)
   * @param http2Offers for each context that offers h2 with fewer suites than configured, its
   *     HTTP/1.1 twin for the clients that offer none of its suites
   */
  ListenerTls(
      Mapping<String, SslContext> bySni,
      TicketKeyRing ticketKeys,
      Map<String, Set<SslContext>> byService,
      Map<SslContext, Http2Offer> http2Offers) {
    this.bySni = bySni;
    this.ticketKeys = ticketKeys;
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
        ctx.channel().attr(CERTIFICATE).set(chosen);
        super.replaceHandler(ctx, hostname, chosen);
      }
    };
  }

  /**
   * True when this listener serves {@code host}, and its virtual service {@code virtualService},
   * with the certificate and TLS settings (client certificates, protocols, ALPN) it serves the SNI
   * name of {@code channel}'s connection with. Without SNI, or for a request without a host, the
   * name is the one the handshake maps it to: the default certificate, so a client by IP address is
   * served the hosts of the default certificate and refused those of any other. A request whose
   * host or virtual service needs another certificate or policy must get 421, never that service's
   * answer: an HTTP/1.1 client could otherwise send the SNI name of a service without client
   * certificates and the Host of one that requires them, and an HTTP/2 client reuses a connection
   * for every host its certificate names (RFC 9113 §9.1.1; contour#5240). The service check also
   * holds where two services share a certificate file with different policies (the first one's
   * context answers the SNI name): the other's requests get 421 rather than skip its policy. Names
   * are mapped with this listener's certificates, not compared with the context the handshake
   * chose: a renewed certificate is a new context, and the connections opened before it still serve
   * their hosts.
   *
   * @param host lower case, without port; null: the request names none
   */
  public boolean servesOnConnection(Channel channel, String host, String virtualService) {
    Channel connection = ClientConnection.of(channel);
    if (connection.attr(CERTIFICATE).get() == null) return false;
    try {
      SslContext serving = bySni.map(connection.attr(SERVER_NAME).get());
      return bySni.map(host) == serving
          && byService.getOrDefault(virtualService, Set.of()).contains(serving);
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
