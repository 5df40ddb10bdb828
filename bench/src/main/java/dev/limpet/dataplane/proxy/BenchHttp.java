package dev.limpet.dataplane.proxy;

import java.io.IOException;
import java.io.InputStream;

/** Just enough HTTP/1.1 for the allocation harnesses: read a head, skip a Content-Length body. */
final class BenchHttp {
  private BenchHttp() {}

  /**
   * Reads a head up to its blank line.
   *
   * @return its Content-Length, -1 without one, -2 at end of stream before a head
   */
  static int readHead(InputStream in, String what) throws IOException {
    StringBuilder line = new StringBuilder();
    int length = -1;
    boolean first = true;
    while (true) {
      int c = in.read();
      if (c < 0) {
        if (first && line.length() == 0) return -2;
        throw new IOException(what + " ended mid-head");
      }
      if (c == '\r') continue;
      if (c != '\n') {
        line.append((char) c);
        continue;
      }
      if (line.length() == 0) return length;
      String l = line.toString();
      if (first && l.startsWith("HTTP/") && !l.startsWith("HTTP/1.1 200"))
        throw new IOException(what + " answered " + l);
      first = false;
      int colon = l.indexOf(':');
      if (colon > 0 && l.substring(0, colon).trim().equalsIgnoreCase("content-length"))
        length = Integer.parseInt(l.substring(colon + 1).trim());
      line.setLength(0);
    }
  }

  static boolean skip(InputStream in, int length) throws IOException {
    for (int left = length; left > 0; ) {
      long n = in.skip(left);
      if (n <= 0) {
        if (in.read() < 0) return false;
        n = 1;
      }
      left -= n;
    }
    return true;
  }
}
