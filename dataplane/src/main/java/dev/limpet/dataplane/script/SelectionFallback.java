package dev.limpet.dataplane.script;

import java.util.Locale;

/**
 * Why {@code avi.pool.select(pool, server [, port])} did not send the request where the script
 * said: the metric tag and the words of the log line.
 */
public enum SelectionFallback {
  /** No member of the pool has that name or IP: the pool balanced. */
  NOT_MEMBER("is not a member of the pool"),
  /** The member is down (health monitor, disabled, connection limit): the pool balanced. */
  DOWN("is down"),
  /** The member is draining: the pool balanced. */
  DRAINING("is draining"),
  /**
   * The port is none of the member's ports: the member was used on its own port, as Avi does (Avi's
   * persistence idiom {@code select(pool, table_lookup(key))} passes the entry's remaining lifetime
   * as the port).
   */
  PORT_IGNORED("has no such port; its pool port was used");

  private final String words;

  SelectionFallback(String words) {
    this.words = words;
  }

  /** The metric tag: {@code not_member}, {@code down}, {@code draining}, {@code port_ignored}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True when the request was load-balanced in the pool instead of going to the server. */
  public boolean balanced() {
    return this != PORT_IGNORED;
  }

  String words() {
    return words;
  }
}
