package dev.limpet.dataplane.tls;

import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * The session ticket keys in force and the server contexts that seal tickets with them: a rotation
 * reaches every context at once. Contexts the data plane no longer uses drop out by themselves.
 */
public final class TicketKeyRing {
  private final Set<OpenSslSessionContext> sessions =
      Collections.newSetFromMap(new WeakHashMap<>());
  private volatile TicketKeySet keys;

  public TicketKeyRing(TicketKeySet keys) {
    this.keys = keys;
  }

  public TicketKeySet current() {
    return keys;
  }

  /**
   * Gives a new server context the keys. The JDK's contexts cannot take them: they seal tickets
   * with a random key of their own.
   */
  public synchronized void install(SslContext context) {
    if (context.sessionContext() instanceof OpenSslSessionContext session) {
      session.setTicketKeys(keys.forOpenSsl());
      sessions.add(session);
    }
  }

  /** Makes {@code next} the keys of every context, present and future. */
  public synchronized void replace(TicketKeySet next) {
    keys = next;
    for (OpenSslSessionContext session : sessions) session.setTicketKeys(next.forOpenSsl());
  }
}
