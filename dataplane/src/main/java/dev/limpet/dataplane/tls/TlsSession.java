package dev.limpet.dataplane.tls;

import dev.limpet.dataplane.transport.ClientConnection;
import io.netty.channel.Channel;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslHandler;
import io.netty.internal.tcnative.SSL;
import io.netty.util.AttributeKey;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;

/**
 * The TLS session of one client connection as persistence sees it: what its ClientHello offered to
 * resume, and once the handshake is done, its {@link TlsSessionKeys}.
 *
 * <p>With OpenSSL (BoringSSL), a TLS 1.2 session is known by its master secret, which every
 * resumption of it shares (by session ID on the replica that holds it in its cache, or by ticket on
 * any replica with the same ticket keys), and by its session ID, which a client offers again even
 * to a replica that cannot resume it. A TLS 1.3 connection is known by the keys of the tickets it
 * was sent; a resumption presents one of them, read here by opening the ticket with the shared
 * ticket keys. With the JDK's TLS only TLS 1.2 session IDs are seen: its tickets are sealed with a
 * key of its own and it does not give out master secrets.
 */
public final class TlsSession {
  private static final AttributeKey<TlsSession> ATTRIBUTE =
      AttributeKey.valueOf(TlsSession.class, "session");
  private static final String TLS13 = "TLSv1.3";

  private final ClientHelloResumption hello;
  private final TicketKeySet ticketKeys;
  private final Channel channel;
  private TlsSessionKeys keys; // made once, on the channel's event loop

  TlsSession(ClientHelloResumption hello, TicketKeySet ticketKeys, Channel channel) {
    this.hello = hello;
    this.ticketKeys = ticketKeys;
    this.channel = channel;
  }

  /** The TLS session of a client connection, or null when it is plain HTTP. */
  public static TlsSession of(Channel channel) {
    Channel connection = ClientConnection.of(channel);
    // hasAttr first: attr() would add an empty attribute to every plain connection
    return connection.hasAttr(ATTRIBUTE) ? connection.attr(ATTRIBUTE).get() : null;
  }

  void attachTo(Channel channel) {
    channel.attr(ATTRIBUTE).set(this);
  }

  /** The persistence keys; {@link TlsSessionKeys#NONE} before the handshake is done. */
  public TlsSessionKeys keys() {
    if (keys != null) return keys;
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    if (ssl == null || !ssl.handshakeFuture().isSuccess()) return TlsSessionKeys.NONE;
    SSLEngine engine = ssl.engine();
    keys = engine instanceof ReferenceCountedOpenSslEngine openSsl ? openSsl(openSsl) : jdk(engine);
    return keys;
  }

  private TlsSessionKeys openSsl(ReferenceCountedOpenSslEngine engine) {
    boolean resumed;
    byte[] secret;
    byte[] sessionId;
    SSLSession session;
    // the engine's lock keeps it from being freed (its native pointer zeroed) meanwhile
    synchronized (engine) {
      long ssl = engine.sslPointer();
      if (ssl == 0) return TlsSessionKeys.NONE;
      session = engine.getSession();
      resumed = SSL.isSessionReused(ssl);
      secret = SSL.getMasterKey(ssl);
      sessionId = SSL.getSessionId(ssl);
    }
    if (secret == null) return TlsSessionKeys.NONE;
    List<String> presented = new ArrayList<>(1);
    List<String> issued = new ArrayList<>(2);
    if (TLS13.equals(session.getProtocol())) {
      // after the handshake the session's secret is the connection's resumption secret
      for (int i = 0; i < ResumptionSecrets.TLS13_TICKETS_PER_HANDSHAKE; i++)
        issued.add(
            TlsSessionKeys.ofSecret(
                ResumptionSecrets.tls13TicketKey(secret, session.getCipherSuite(), i)));
      if (resumed) {
        byte[] content = ticketKeys.open(hello.pskIdentity());
        byte[] psk = content == null ? null : ResumptionSecrets.fromTicketContent(content);
        if (psk != null) presented.add(TlsSessionKeys.ofSecret(psk));
      }
    } else {
      issued.add(TlsSessionKeys.ofSecret(secret));
      if (sessionId != null && sessionId.length > 0)
        issued.add(TlsSessionKeys.ofSessionId(sessionId));
      if (resumed) presented.add(TlsSessionKeys.ofSecret(secret));
      else if (hello.sessionId().length > 0)
        presented.add(TlsSessionKeys.ofSessionId(hello.sessionId()));
    }
    return new TlsSessionKeys(presented, issued);
  }

  private TlsSessionKeys jdk(SSLEngine engine) {
    SSLSession session = engine.getSession();
    byte[] id = session.getId();
    if (TLS13.equals(session.getProtocol()) || id == null || id.length == 0)
      return TlsSessionKeys.NONE;
    List<String> presented =
        hello.sessionId().length > 0
            ? List.of(TlsSessionKeys.ofSessionId(hello.sessionId()))
            : List.of();
    return new TlsSessionKeys(presented, List.of(TlsSessionKeys.ofSessionId(id)));
  }
}
