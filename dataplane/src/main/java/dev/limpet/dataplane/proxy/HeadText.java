package dev.limpet.dataplane.proxy;

import io.netty.util.AsciiString;
import java.util.Arrays;

/**
 * The text of message heads that repeats from one message to the next, kept so that the decoders do
 * not build it again: header names (a request on a keep-alive connection, or a server's response,
 * names the same fields as the one before) and the words of a status line. A name is kept byte for
 * byte, case included, so the bytes forwarded are the bytes received; the decoders' checks of a
 * name (Netty's header validation) still run on every field.
 *
 * <p>The names live in one table shared by every event loop, a slot per hash of the name's bytes: a
 * slot holds the last name that hashed to it. {@link AsciiString} is immutable, so a thread that
 * reads a slot another thread is writing sees the old name or the new one, both complete. A client
 * that sends ever new names only turns hits into misses; the table never grows.
 */
final class HeadText {
  private static final int SLOTS = 1024; // a power of two
  private static final int MAX_NAME_LENGTH = 64;
  private static final AsciiString[] NAMES = new AsciiString[SLOTS];

  private HeadText() {}

  /** The header name in {@code bytes[start, start + length)}, from the table when it is there. */
  static AsciiString name(byte[] bytes, int start, int length) {
    if (length > MAX_NAME_LENGTH) return new AsciiString(bytes, start, length, true);
    int hash = 0;
    int end = start + length;
    for (int i = start; i < end; i++) hash = 31 * hash + bytes[i];
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    AsciiString kept = NAMES[slot];
    if (kept != null
        && kept.length() == length
        && Arrays.equals(kept.array(), 0, length, bytes, start, end)) return kept;
    AsciiString name = new AsciiString(bytes, start, length, true);
    NAMES[slot] = name;
    return name;
  }

  /** {@code previous} when it is the text of {@code bytes[start, start + length)}, else null. */
  static String same(String previous, byte[] bytes, int start, int length) {
    if (previous == null || previous.length() != length) return null;
    for (int i = 0; i < length; i++) {
      if (previous.charAt(i) != (char) (bytes[start + i] & 0xff)) return null;
    }
    return previous;
  }
}
