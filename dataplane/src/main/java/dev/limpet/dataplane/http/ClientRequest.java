package dev.limpet.dataplane.http;

import dev.limpet.dataplane.tls.TlsSession;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;

/**
 * What load balancing and persistence may look at: the client's address, the request head and the
 * connection's TLS session (null on plain HTTP). The head is the one that will be sent upstream, so
 * rewrites before balancing are seen here.
 */
public record ClientRequest(InetSocketAddress client, HttpRequest head, TlsSession tls) {
  /** A request that came over plain HTTP. */
  public ClientRequest(InetSocketAddress client, HttpRequest head) {
    this(client, head, null);
  }
}
