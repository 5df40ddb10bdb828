package dev.limpet.dataplane.tls;

import io.netty.handler.ssl.SniHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;

/**
 * TLS termination of one listening port: which certificate's context answers which SNI name (the
 * default one without SNI or without a match). Immutable: a rotation builds a new one, and only
 * connections accepted after it see it.
 */
public final class ListenerTls {
  public static final String HANDLER = "tls";

  /** How long a client may take over its handshake before the connection is closed. */
  private static final long HANDSHAKE_TIMEOUT_MS = 10_000;

  /** The largest ClientHello read while looking for SNI (the TLS record limit). */
  private static final int MAX_CLIENT_HELLO = 16 * 1024;

  private final Mapping<String, SslContext> bySni;
  private final TicketKeyRing ticketKeys;

  ListenerTls(Mapping<String, SslContext> bySni, TicketKeyRing ticketKeys) {
    this.bySni = bySni;
    this.ticketKeys = ticketKeys;
  }

  /**
   * The step before {@link #newHandler}: notes what the ClientHello offers to resume, for TLS
   * persistence.
   */
  public ClientHelloReader newHelloReader() {
    return new ClientHelloReader(ticketKeys, MAX_CLIENT_HELLO);
  }

  /** The first handler of a new connection: reads the SNI, then becomes the matching SslHandler. */
  public SniHandler newHandler() {
    return new SniHandler(bySni, MAX_CLIENT_HELLO, HANDSHAKE_TIMEOUT_MS);
  }
}
