package dev.limpet.dataplane.transport;

import io.netty.channel.Channel;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * The client's TCP connection behind a channel: the channel itself for HTTP/1, the parent of an
 * HTTP/2 stream's channel. What belongs to the connection (the client a PROXY header named, the TLS
 * session, the SNI name) is kept on it, and each stream reads it there.
 */
public final class ClientConnection {
  private ClientConnection() {}

  public static Channel of(Channel channel) {
    return channel instanceof Http2StreamChannel stream ? stream.parent() : channel;
  }
}
