package dev.limpet.dataplane.proxy;

import io.netty.buffer.ByteBuf;

/**
 * The checks on a request's raw bytes that Netty's decoder does not make, run on the bytes just
 * before it decodes them: a folded field line (obs-fold, which Netty joins to the previous field
 * instead of refusing, RFC 9112 section 5.2) and a chunk size above 2^31-1 (Netty's parser wraps
 * silently, so {@code 10000000000000005} would be read as 5 while another hop reads it as a huge
 * chunk). It follows the message the way the decoder does: the head up to its blank line, then,
 * once the decoder has said the body is chunked, each chunk-size line, skipping chunk data in bulk.
 * Other bodies are not looked at.
 */
final class RequestBytes {
  /** The largest chunk size Netty reads correctly. */
  private static final long MAX_CHUNK_SIZE = Integer.MAX_VALUE;

  private enum Mode {
    /** In a head: looking for obs-fold and the blank line. */
    HEAD,
    /** The head is complete; waiting for the decoder to decode it. */
    HEAD_DONE,
    /** A body not followed here (fixed length), or a chunked one after its trailer section. */
    BODY,
    CHUNK_SIZE,
    CHUNK_EXTENSION,
    CHUNK_DATA,
    TRAILER
  }

  private Mode mode = Mode.HEAD;

  /** Bytes after the decoder's read position that were already checked. */
  private int ahead;

  /** The previous byte in a head or trailer, and the length of the current line so far. */
  private byte previous;

  private int lineLength;
  private boolean firstLine = true;
  private long remaining;
  private boolean sizeDigits;

  /**
   * Checks the unread bytes of {@code in} that were not checked before; the problem found, or null.
   */
  String check(ByteBuf in) {
    int end = in.writerIndex();
    for (int i = in.readerIndex() + ahead; i < end; ) {
      switch (mode) {
        case HEAD, TRAILER -> {
          byte b = in.getByte(i++);
          if (b == '\n') {
            boolean blank = lineLength == 0 || (lineLength == 1 && previous == '\r');
            if (blank && !firstLine) {
              mode = mode == Mode.HEAD ? Mode.HEAD_DONE : Mode.BODY;
              ahead = i - in.readerIndex();
              return null;
            }
            if (!blank) firstLine = false;
            lineLength = 0;
          } else {
            if (lineLength == 0 && !firstLine && (b == ' ' || b == '\t'))
              return "obs-fold (a field line starting with whitespace)";
            lineLength++;
          }
          previous = b;
        }
        case CHUNK_SIZE -> {
          byte b = in.getByte(i++);
          int digit = Character.digit(b, 16);
          if (digit >= 0) {
            remaining = remaining * 16 + digit;
            sizeDigits = true;
            if (remaining > MAX_CHUNK_SIZE) return "chunk size too large";
          } else if (!sizeDigits && (b == ' ' || b == '\t')) {
            // whitespace before the size, which the decoder skips too
          } else if (b == '\n') {
            endOfSizeLine();
          } else {
            mode = Mode.CHUNK_EXTENSION; // the decoder checks the rest of the line
          }
        }
        case CHUNK_EXTENSION -> {
          if (in.getByte(i++) == '\n') endOfSizeLine();
        }
        case CHUNK_DATA -> {
          long skip = Math.min(remaining, end - i);
          i += (int) skip;
          remaining -= skip;
          if (remaining == 0) mode = Mode.CHUNK_SIZE;
        }
        case HEAD_DONE, BODY -> {
          ahead = i - in.readerIndex();
          return null;
        }
      }
    }
    ahead = end - in.readerIndex();
    return null;
  }

  /** A size line ended: the chunk's data and its CRLF follow, or the trailer section. */
  private void endOfSizeLine() {
    sizeDigits = false;
    if (remaining == 0) {
      mode = Mode.TRAILER;
      firstLine = false;
      lineLength = 0;
    } else {
      mode = Mode.CHUNK_DATA;
      remaining += 2; // the CRLF after the data, which the decoder checks
    }
  }

  /** The decoder consumed {@code bytes}. */
  void consumed(int bytes) {
    ahead = Math.max(0, ahead - bytes);
  }

  /** The decoder produced a request head; {@code chunked} when its body is chunked. */
  void headDecoded(boolean chunked) {
    mode = chunked ? Mode.CHUNK_SIZE : Mode.BODY;
    remaining = 0;
  }

  /** The decoder finished a request: the next bytes are a new head. */
  void messageDecoded() {
    mode = Mode.HEAD;
    firstLine = true;
    lineLength = 0;
    previous = 0;
  }

  /** True while the current request's body is being read (a failure is then a body failure). */
  boolean inBody() {
    return mode != Mode.HEAD && mode != Mode.HEAD_DONE;
  }
}
