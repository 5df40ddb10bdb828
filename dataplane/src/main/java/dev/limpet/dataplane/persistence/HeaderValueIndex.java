package dev.limpet.dataplane.persistence;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Server keys by exact header value, looked up by the value's bytes as they arrived, so that a
 * request's value needs no {@code String}. A byte is the character of the same code (as the value's
 * {@code String} would have it): a configured value with a character above U+00FF can equal no
 * received value and is left out. Immutable.
 */
final class HeaderValueIndex {
  private final byte[][] values;
  private final String[] keys;
  private final int mask;

  HeaderValueIndex(Map<String, String> keyByValue) {
    int slots = Integer.highestOneBit(Math.max(keyByValue.size(), 1) * 4 - 1) << 1;
    values = new byte[slots][];
    keys = new String[slots];
    mask = slots - 1;
    keyByValue.forEach(
        (value, key) -> {
          byte[] bytes = value.getBytes(StandardCharsets.ISO_8859_1);
          if (!new String(bytes, StandardCharsets.ISO_8859_1).equals(value)) return;
          int slot = hash(bytes, 0, bytes.length) & mask;
          while (values[slot] != null) slot = (slot + 1) & mask;
          values[slot] = bytes;
          keys[slot] = key;
        });
  }

  /** The key for the value {@code b[start, end)}; null when no server has that value. */
  String get(byte[] b, int start, int end) {
    for (int slot = hash(b, start, end) & mask; values[slot] != null; slot = (slot + 1) & mask) {
      byte[] value = values[slot];
      if (Arrays.equals(value, 0, value.length, b, start, end)) return keys[slot];
    }
    return null;
  }

  private static int hash(byte[] b, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) h = 31 * h + (b[i] & 0xFF);
    return h ^ (h >>> 16);
  }
}
