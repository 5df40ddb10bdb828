package dev.limpet.dataplane.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2StreamChannel;

/**
 * The upstream relay of a client connection: the request to the exchange's server connection, the
 * server's response to the client, with back-pressure by explicit reads (AUTO_READ off, as in
 * netty's HexDumpProxy): the client is read only while the upstream can take more, the upstream
 * only while the client can, so no body is ever held whole. It moves messages; what a head means
 * and how an exchange ends are the proxy handler's.
 */
final class UpstreamRelay {
  private final ChannelHandlerContext client;

  /**
   * @param client the proxy handler's context: writes start there, reads ask the client channel
   */
  UpstreamRelay(ChannelHandlerContext client) {
    this.client = client;
  }

  /**
   * The exchange's server connection is ready: sends the head and the body parts read meanwhile,
   * then reads the server, and the client while the request has more to come.
   */
  void connected(Exchange e, Channel upstream) {
    e.upstream = upstream;
    upstream.write(e.head(), upstream.voidPromise());
    // sent again after a closed connection: its end went to the old one, and an HTTP/2 server
    // needs it (END_STREAM) where an HTTP/1.1 one reads the head's framing
    if (e.requestEndSent)
      upstream.write(LastHttpContent.EMPTY_LAST_CONTENT, upstream.voidPromise());
    while (!e.pendingBody.isEmpty()) send(e, e.pendingBody.poll());
    upstream.flush();
    upstream.read();
    if (!e.requestComplete()) client.read();
  }

  /** A part of the request body: to the server, or held until its connection is ready. */
  void requestBody(Exchange e, HttpContent part) {
    if (e.upstream == null) e.pendingBody.add(part);
    else send(e, part);
  }

  private static void send(Exchange e, HttpContent part) {
    if (part.content().isReadable()) e.choice.bodySent();
    if (part instanceof LastHttpContent) e.requestEndSent = true;
    if (e.upstream instanceof Http2StreamChannel) e.replay.sent(part);
    e.upstream.write(part, e.upstream.voidPromise());
  }

  /** The client's batch was read: flush it upstream and read on while the server takes more. */
  void clientReadComplete(Exchange e) {
    if (e.upstream == null) return; // connecting: the connect completion reads on
    e.upstream.flush();
    if (!e.requestComplete() && e.upstream.isWritable()) client.read();
  }

  /** The upstream drained its backlog: the rest of the request may be read. */
  void upstreamWritable(Exchange e) {
    if (e != null && !e.requestComplete() && !e.answeredLocally()) client.read();
  }

  /** A response head without a body part in the same message, ready for the client. */
  void responseHead(HttpResponse head) {
    client.write(head, client.voidPromise());
  }

  /**
   * A part of the server's response body: to the client, unless it ends an interim (1xx) response
   * the client does not get.
   *
   * @return true when it was the last part: the response went to the client whole
   */
  boolean responseBody(Exchange e, HttpContent part) {
    boolean last = part instanceof LastHttpContent;
    if (e.responsePhase == Exchange.ResponsePhase.INFORMATIONAL) {
      if (last) e.responsePhase = Exchange.ResponsePhase.AWAITED;
      part.release();
      return false;
    }
    e.responseBytes += part.content().readableBytes();
    if (last && closesAfter(e)) {
      // the close rides on the last write: no empty write and promise of its own after it
      client.writeAndFlush(part).addListener(ChannelFutureListener.CLOSE);
      e.closeWritten = true;
    } else {
      client.write(part, client.voidPromise());
    }
    if (last) e.responsePhase = Exchange.ResponsePhase.RELAYED;
    return last;
  }

  /**
   * Whether the client connection closes with a FIN once the response is sent: the exchange said so
   * or the response ended before the request did (the proxy handler's {@code responseDone}). Not a
   * reset (SO_LINGER is set first), a protocol switch (the connection becomes a tunnel) or an
   * HTTP/2 stream (it ends as {@link StreamEnding} says).
   */
  private boolean closesAfter(Exchange e) {
    return (e.closesClient() || !e.requestComplete())
        && e.afterwards != Exchange.Afterwards.RESET
        && e.status != 101
        && !(client.channel() instanceof Http2StreamChannel);
  }

  /**
   * The upstream's batch was read: flush it to the client and read on while the client takes more.
   */
  void upstreamReadComplete(Exchange e) {
    client.flush();
    if (e != null && !e.responseComplete() && e.upstream != null && client.channel().isWritable())
      e.upstream.read();
  }

  /** The client drained its backlog: the rest of the response may be read. */
  void clientWritable(Exchange e) {
    if (client.channel().isWritable() && e != null && e.upstream != null && !e.responseComplete())
      e.upstream.read();
  }
}
