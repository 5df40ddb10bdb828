package dev.limpet.dataplane.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the values of one cookie name in the bytes of a {@code Cookie} field, as {@link
 * CookieHeaders#values} reads them (Netty's lax server decoder: separators, empty and valueless
 * names skipped, quotes around a value removed and unbalanced ones dropping the cookie, the old RFC
 * 2965 {@code $Version} form with its {@code $Path}, {@code $Domain} and {@code $Port}), but
 * without a {@code String} or a cookie object per cookie. A byte is the character of the same code,
 * as the header value's {@code String} would have it. Safe to use from any thread.
 */
public final class CookieFinder {
  private static final byte[] VERSION = ascii("$Version");
  private static final byte[] PATH = ascii("$Path");
  private static final byte[] DOMAIN = ascii("$Domain");
  private static final byte[] PORT = ascii("$Port");

  private final String text;

  /** The name's bytes; null when it has a character no byte spells (it then matches nothing). */
  private final byte[] name;

  /** Finds cookies named exactly {@code name} (case-sensitive, as cookie names compare). */
  public CookieFinder(String name) {
    this.text = name;
    byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
    this.name =
        new String(bytes, StandardCharsets.ISO_8859_1).equals(name) && !name.isEmpty()
            ? bytes
            : null;
  }

  /**
   * The next cookie with this name in the field value {@code b[start, end)}, looking from {@code
   * from} ({@code start} the first time, then {@link #resumeAt} of the previous answer): its
   * value's span, quotes included, or -1 when there is none. Read the value with {@link
   * #valueStart} and {@link #valueEnd}.
   */
  public long next(byte[] b, int start, int end, int from) {
    if (name == null || start >= end) return -1;
    boolean rfc2965 = startsWith(b, start, end, VERSION, true);
    int i = from;
    if (from == start && rfc2965) {
      int semicolon = indexOf(b, (byte) ';', start, end);
      i = semicolon < 0 ? start : semicolon + 1;
    }
    while (true) {
      while (true) {
        if (i >= end) return -1;
        if (!isSeparator(b[i])) break;
        i++;
      }
      int nameBegin = i;
      int nameEnd;
      int valueBegin;
      int valueEnd;
      while (true) {
        byte c = b[i];
        if (c == ';') {
          nameEnd = i;
          valueBegin = valueEnd = -1;
          break;
        } else if (c == '=') {
          nameEnd = i;
          i++;
          if (i == end) {
            valueBegin = valueEnd = end; // NAME= at the end: an empty value
            break;
          }
          valueBegin = i;
          int semicolon = indexOf(b, (byte) ';', i, end);
          valueEnd = i = semicolon >= 0 ? semicolon : end;
          break;
        }
        i++;
        if (i == end) {
          nameEnd = end;
          valueBegin = valueEnd = -1;
          break;
        }
      }
      if (rfc2965
          && (startsWith(b, nameBegin, end, PATH, false)
              || startsWith(b, nameBegin, end, DOMAIN, false)
              || startsWith(b, nameBegin, end, PORT, false))) continue;
      if (nameBegin == nameEnd || valueBegin < 0 || !balanced(b, valueBegin, valueEnd)) continue;
      // Netty's cookie trims its name as String.trim does: every character up to U+0020
      while (nameBegin < nameEnd && (b[nameBegin] & 0xFF) <= ' ') nameBegin++;
      while (nameEnd > nameBegin && (b[nameEnd - 1] & 0xFF) <= ' ') nameEnd--;
      if (Arrays.equals(b, nameBegin, nameEnd, name, 0, name.length))
        return (long) valueBegin << 32 | valueEnd;
    }
  }

  /**
   * The values of every cookie with this name in a request, in order, as {@link
   * CookieHeaders#values} gives them: from the received bytes when the fields are {@link
   * FieldBytes} and no {@code Cookie} field was added since, so that only the values found become
   * {@code String}s; through {@link CookieHeaders} otherwise.
   */
  public List<String> values(HttpHeaders headers) {
    if (!(headers instanceof FieldBytes fields) || fields.added(HttpHeaderNames.COOKIE))
      return CookieHeaders.values(headers, text);
    List<String> values = new ArrayList<>(1);
    byte[] b = fields.bytes();
    for (int f = fields.next(HttpHeaderNames.COOKIE, 0);
        f >= 0;
        f = fields.next(HttpHeaderNames.COOKIE, f + 1)) {
      int start = fields.valueStart(f);
      int end = fields.valueEnd(f);
      for (long span = next(b, start, end, start);
          span >= 0;
          span = next(b, start, end, resumeAt(span))) {
        int from = valueStart(b, span);
        values.add(new String(b, from, valueEnd(b, span) - from, StandardCharsets.ISO_8859_1));
      }
    }
    return values;
  }

  /** Where to look for the next cookie after {@code span}. */
  public static int resumeAt(long span) {
    return (int) span;
  }

  /** Where the value of {@code span} starts, after an opening quote. */
  public static int valueStart(byte[] b, long span) {
    int start = (int) (span >>> 32);
    return quoted(b, start, (int) span) ? start + 1 : start;
  }

  /** Where the value of {@code span} ends, before a closing quote. */
  public static int valueEnd(byte[] b, long span) {
    int start = (int) (span >>> 32);
    int end = (int) span;
    return quoted(b, start, end) ? end - 1 : end;
  }

  private static boolean quoted(byte[] b, int start, int end) {
    return start < end && b[start] == '"';
  }

  /** A value that opens with a quote must close with one, or the cookie is dropped. */
  private static boolean balanced(byte[] b, int start, int end) {
    return !quoted(b, start, end) || (end - start >= 2 && b[end - 1] == '"');
  }

  private static boolean isSeparator(byte c) {
    return c == '\t' || c == '\n' || c == 0x0b || c == '\f' || c == '\r' || c == ' ' || c == ','
        || c == ';';
  }

  private static int indexOf(byte[] b, byte c, int from, int end) {
    for (int i = from; i < end; i++) if (b[i] == c) return i;
    return -1;
  }

  private static boolean startsWith(byte[] b, int at, int end, byte[] prefix, boolean ignoreCase) {
    if (end - at < prefix.length) return false;
    for (int k = 0; k < prefix.length; k++) {
      int x = b[at + k];
      int y = prefix[k];
      if (x != y && !(ignoreCase && lower(x) == lower(y))) return false;
    }
    return true;
  }

  private static int lower(int c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
