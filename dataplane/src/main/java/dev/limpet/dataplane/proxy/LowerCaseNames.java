package dev.limpet.dataplane.proxy;

import io.netty.util.AsciiString;

/**
 * Header names in lower case, as HTTP/2 writes them, kept so that a response's names ({@code
 * Content-Type}, {@code Date}: the same from one response to the next) are not lowered into a new
 * {@link AsciiString} each time. One table shared by every event loop, a slot per case-insensitive
 * hash: a slot holds the last lowered name that hashed to it ({@link AsciiString} is immutable, so
 * a reader sees the old name or the new one, both complete). Ever new names only turn hits into
 * misses; the table never grows.
 */
final class LowerCaseNames {
  private static final int SLOTS = 256; // a power of two
  private static final int MAX_NAME_LENGTH = 64;
  private static final AsciiString[] NAMES = new AsciiString[SLOTS];

  private LowerCaseNames() {}

  /** {@code name} in lower case. */
  static AsciiString of(CharSequence name) {
    if (name.length() > MAX_NAME_LENGTH) return AsciiString.of(name).toLowerCase();
    int hash = AsciiString.hashCode(name);
    int slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
    AsciiString kept = NAMES[slot];
    if (kept != null && AsciiString.contentEqualsIgnoreCase(kept, name)) return kept;
    AsciiString lower = AsciiString.of(name).toLowerCase();
    NAMES[slot] = lower;
    return lower;
  }
}
