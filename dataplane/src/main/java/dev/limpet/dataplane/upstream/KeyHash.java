package dev.limpet.dataplane.upstream;

/**
 * A 64-bit hash of text, after MurmurHash3 x64: blocks of four chars mixed with its constants and
 * finished with its {@code fmix64}, so neighbouring inputs ({@code 10.0.0.1}, {@code 10.0.0.2})
 * land far apart on the ring. Reads chars directly: no encoding, no allocation.
 */
final class KeyHash {
  private static final long C1 = 0x87c37b91114253d5L;
  private static final long C2 = 0x4cf5ad432745937fL;

  private KeyHash() {}

  static long of(CharSequence s) {
    int n = s.length();
    long h = 0x9e3779b97f4a7c15L;
    int i = 0;
    for (; i + 4 <= n; i += 4) {
      long block =
          s.charAt(i)
              | (long) s.charAt(i + 1) << 16
              | (long) s.charAt(i + 2) << 32
              | (long) s.charAt(i + 3) << 48;
      h ^= mixBlock(block);
      h = Long.rotateLeft(h, 27) * 5 + 0x52dce729;
    }
    long tail = 0;
    for (int shift = 0; i < n; i++, shift += 16) tail |= (long) s.charAt(i) << shift;
    h ^= mixBlock(tail);
    return fmix64(h ^ n);
  }

  private static long mixBlock(long k) {
    return Long.rotateLeft(k * C1, 31) * C2;
  }

  private static long fmix64(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    return h ^ (h >>> 33);
  }
}
