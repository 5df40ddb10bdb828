package dev.limpet.dataplane.persistence;

import dev.limpet.dataplane.persistence.CookieCodec.DecodedCookie;
import java.util.Arrays;

/**
 * Cookie values one {@link CookieCodec} opened lately, by their exact bytes: a browser sends the
 * same value with every request, and opening it again (base64, AES-GCM) would give the same answer,
 * since the value and the codec's keys and pool are the same. Only values that opened are kept, so
 * a forged value is checked every time. A slot per hash of the value, newest wins; shared by the
 * event loops without a lock (a slot holds an immutable record; a reader that misses opens the
 * value as it would without this).
 */
final class OpenedCookies {
  private static final int SLOTS = 256;

  private record Opened(byte[] value, DecodedCookie cookie) {}

  private final Opened[] opened = new Opened[SLOTS];

  /** What {@code b[start, end)} opened to before; null when it is not kept. */
  DecodedCookie get(byte[] b, int start, int end) {
    Opened last = opened[slot(b, start, end)];
    return last != null && Arrays.equals(last.value(), 0, last.value().length, b, start, end)
        ? last.cookie()
        : null;
  }

  /** Keeps what {@code b[start, end)} just opened to. */
  void put(byte[] b, int start, int end, DecodedCookie cookie) {
    opened[slot(b, start, end)] = new Opened(Arrays.copyOfRange(b, start, end), cookie);
  }

  private static int slot(byte[] b, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) h = 31 * h + b[i];
    return (h ^ (h >>> 16)) & (SLOTS - 1);
  }
}
