package dev.limpet.dataplane.upstream.health;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.util.Locale;

/**
 * The outcome of one probe.
 *
 * @param detail what an operator reads: {@code HTTP 200}, {@code HTTP 503}, {@code connect
 *     refused}, {@code timeout}
 */
record ProbeResult(boolean passed, String detail) {
  static ProbeResult pass(String detail) {
    return new ProbeResult(true, detail);
  }

  static ProbeResult fail(String detail) {
    return new ProbeResult(false, detail);
  }

  /** A failure named after its cause the way an operator would say it. */
  static ProbeResult fail(Throwable cause) {
    String message = cause.getMessage() == null ? "" : cause.getMessage();
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("refused")) return fail("connect refused");
    if (lower.contains("timed out")) return fail("connect timeout");
    if (cause instanceof NoRouteToHostException || lower.contains("no route"))
      return fail("no route to host");
    if (cause instanceof ConnectException) return fail("connect failed: " + message);
    return fail(cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message));
  }
}
