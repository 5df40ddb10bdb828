package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The request body parts an exchange sent on an HTTP/2 stream whose answer has not started, kept
 * (as duplicates sharing the bytes) so that the request can go again when the server says it did
 * not process it: RST_STREAM REFUSED_STREAM, or a GOAWAY whose last stream id is below the stream
 * (RFC 9113 §8.7). Up to {@link #MAX_BYTES}: a longer body is let go as it streams, and its request
 * can no longer be sent again.
 */
final class RequestReplay {
  /** Body bytes kept per exchange: a server's initial stream window. */
  static final int MAX_BYTES = 64 * 1024;

  /** Made at the first part sent: HTTP/1.1 exchanges and bodiless requests never need it. */
  private ArrayDeque<HttpContent> parts;

  private long bytes;
  private boolean lost;

  /** {@code part} goes to the server now (and is released by the write). */
  void sent(HttpContent part) {
    if (lost) return;
    bytes += part.content().readableBytes();
    if (bytes > MAX_BYTES) {
      done();
      return;
    }
    if (parts == null) parts = new ArrayDeque<>(2);
    parts.add(part.retainedDuplicate());
  }

  /** True when every part sent so far is kept, none when the request went to no stream. */
  boolean whole() {
    return !lost;
  }

  /**
   * Puts the kept parts back ahead of {@code pending}, in order, for the next attempt; true when
   * there were any.
   */
  boolean restore(ArrayDeque<HttpContent> pending) {
    bytes = 0;
    if (parts == null || parts.isEmpty()) return false;
    while (!parts.isEmpty()) pending.addFirst(parts.pollLast());
    return true;
  }

  /** The answer started or the exchange ended: nothing will be sent again. */
  void done() {
    lost = true;
    if (parts == null) return;
    parts.forEach(ReferenceCountUtil::release);
    parts.clear();
  }
}
