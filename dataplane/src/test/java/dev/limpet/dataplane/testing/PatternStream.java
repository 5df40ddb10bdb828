package dev.limpet.dataplane.testing;

import java.io.InputStream;

/** {@code n} bytes of a repeating pattern, generated on the fly. */
public final class PatternStream extends InputStream {
  private long left;
  private long position;

  public PatternStream(long n) {
    this.left = n;
  }

  public static long checksum(long n) {
    long sum = 0;
    for (long i = 0; i < n; i++) sum += (int) (i % 251);
    return sum;
  }

  @Override
  public int read() {
    if (left == 0) return -1;
    left--;
    return (int) (position++ % 251);
  }

  @Override
  public int read(byte[] b, int off, int len) {
    if (left == 0) return -1;
    int n = (int) Math.min(len, left);
    for (int i = 0; i < n; i++) b[off + i] = (byte) (position++ % 251);
    left -= n;
    return n;
  }
}
