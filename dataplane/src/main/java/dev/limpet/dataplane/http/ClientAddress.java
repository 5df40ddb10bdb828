package dev.limpet.dataplane.http;

import dev.limpet.dataplane.transport.ClientConnection;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;

/**
 * The client address of a connection: the socket's peer, replaced by the source a PROXY protocol
 * header names on listeners that read one. Each request then starts from it ({@link
 * ClientRequest#client} may refine it from a trusted {@code X-Forwarded-For}).
 */
public final class ClientAddress {
  private static final AttributeKey<InetSocketAddress> PROXIED =
      AttributeKey.valueOf(ClientAddress.class, "proxied");

  private ClientAddress() {}

  /** The connection's client: what a PROXY header named, else the socket's peer. */
  public static InetSocketAddress of(Channel channel) {
    Channel connection = ClientConnection.of(channel);
    // hasAttr first: attr() would add an empty attribute to every connection without a PROXY header
    InetSocketAddress proxied = connection.hasAttr(PROXIED) ? connection.attr(PROXIED).get() : null;
    return proxied != null ? proxied : (InetSocketAddress) connection.remoteAddress();
  }

  /** Records the client a PROXY protocol header named for the rest of the connection. */
  public static void proxied(Channel channel, InetSocketAddress client) {
    channel.attr(PROXIED).set(client);
  }
}
