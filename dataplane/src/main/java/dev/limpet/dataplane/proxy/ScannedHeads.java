package dev.limpet.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * What a Netty HTTP/1.1 decoder needs to take its heads from {@link HeadScanner}: the decoder is
 * handed the head's first line followed by an empty field section, so it checks the line and makes
 * the message exactly as for any head, and its {@code createMessage} gives the message the scanned
 * fields ({@link #takeFields}). The decoder then reads the framing (Content-Length,
 * Transfer-Encoding) from those fields with its own rules and goes on with the body from the real
 * buffer. A head is scanned only between messages: once the decoder has started a head itself (a
 * partial head, or one the scanner declined), it keeps it to its end.
 */
final class ScannedHeads {
  /**
   * The first line of a scanned head, then CRLF: what the decoder reads. One per thread, shared by
   * the connections of an event loop: it is filled and read whole within one {@code decode} call
   * ({@link #lineDecoded} checks), and nothing runs another connection's decoder in between.
   */
  private static final FastThreadLocal<ByteBuf> FIRST_LINES =
      new FastThreadLocal<>() {
        @Override
        protected ByteBuf initialValue() {
          return Unpooled.buffer(128);
        }
      };

  private final HeadScanner scanner;

  /** This thread's {@link #FIRST_LINES} buffer while a scanned head is being decoded. */
  private ByteBuf firstLine;

  private boolean betweenMessages = true;

  /** After a switch of protocols the bytes are no longer HTTP/1.1. */
  private boolean stopped;

  private ReceivedHeaders fields;

  /**
   * @param maxFieldSection the decoder's limit on a head's field lines, in bytes
   */
  ScannedHeads(int maxFieldSection) {
    this.scanner = new HeadScanner(maxFieldSection);
  }

  /**
   * The first line for the decoder when {@code in} starts with a head the scanner read, else null
   * (the decoder reads {@code in} itself). After the decoder read it, call {@link #lineDecoded}.
   */
  ByteBuf scan(ByteBuf in) {
    if (!betweenMessages || stopped || !scanner.scan(in)) return null;
    int start = in.readerIndex();
    ByteBuf firstLine = FIRST_LINES.get();
    firstLine.clear();
    firstLine.writeBytes(in, start, scanner.lineEnd() - start);
    firstLine.writeShort('\r' << 8 | '\n');
    fields = scanner.takeHeaders();
    betweenMessages = false;
    this.firstLine = firstLine;
    return firstLine;
  }

  /** The decoder read the first line: the whole head of {@code in} is consumed. */
  void lineDecoded(ByteBuf in) {
    fields = null;
    ByteBuf line = firstLine;
    firstLine = null;
    if (line.isReadable())
      throw new IllegalStateException("the decoder left part of a scanned head");
    in.readerIndex(scanner.headEnd());
  }

  /** The scanned fields for the message being made, once; null when the decoder read the head. */
  ReceivedHeaders takeFields() {
    ReceivedHeaders taken = fields;
    fields = null;
    return taken;
  }

  /** The decoder consumed bytes of {@code in} itself: a head it started stays with it. */
  void decoderRead() {
    betweenMessages = false;
  }

  /** A message ended (its last content was decoded): the next bytes start a head. */
  void messageEnded() {
    betweenMessages = true;
  }

  /** The connection switched protocols: no more heads. */
  void stop() {
    stopped = true;
  }
}
