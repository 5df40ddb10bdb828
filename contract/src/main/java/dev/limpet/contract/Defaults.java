package dev.limpet.contract;

import java.util.List;

/** Null-to-default helpers for the config records' compact constructors. */
final class Defaults {
  private Defaults() {}

  static <T> List<T> list(List<T> value) {
    return value == null ? List.of() : List.copyOf(value);
  }

  static int positive(int value, int fallback) {
    return value <= 0 ? fallback : value;
  }

  static <T> T orElse(T value, T fallback) {
    return value == null ? fallback : value;
  }
}
