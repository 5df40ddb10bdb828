package dev.limpet.dataplane.script;

/**
 * MurmurHash3 x86 32-bit (Austin Appleby's public-domain reference, seed 0) over bytes, for {@code
 * avi.utils.murmur_hash}. Pure.
 */
final class MurmurHash3 {
  private static final int C1 = 0xcc9e2d51;
  private static final int C2 = 0x1b873593;

  private MurmurHash3() {}

  /** The hash of {@code data} with {@code seed}, as an unsigned 32-bit value. */
  static long hash32(byte[] data, int seed) {
    int h = seed;
    int blocks = data.length / 4;
    for (int b = 0; b < blocks; b++) {
      int i = b * 4;
      int k =
          (data[i] & 0xff)
              | (data[i + 1] & 0xff) << 8
              | (data[i + 2] & 0xff) << 16
              | (data[i + 3] & 0xff) << 24;
      h ^= mix(k);
      h = Integer.rotateLeft(h, 13) * 5 + 0xe6546b64;
    }
    int tail = blocks * 4;
    int k = 0;
    switch (data.length & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        k ^= data[tail] & 0xff;
        h ^= mix(k);
      // fall through
      default:
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return Integer.toUnsignedLong(h);
  }

  private static int mix(int k) {
    return Integer.rotateLeft(k * C1, 15) * C2;
  }
}
