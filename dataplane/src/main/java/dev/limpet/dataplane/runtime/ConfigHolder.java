package dev.limpet.dataplane.runtime;

/** The one reference through which a new configuration replaces the old one. */
public final class ConfigHolder {
  private volatile RuntimeConfig current = RuntimeConfig.empty();

  public RuntimeConfig current() {
    return current;
  }

  public void swap(RuntimeConfig next) {
    current = next;
  }
}
