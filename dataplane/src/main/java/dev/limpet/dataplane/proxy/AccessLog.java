package dev.limpet.dataplane.proxy;

import static net.logstash.logback.argument.StructuredArguments.kv;

import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One structured line per request on the {@code access} logger (JSON through logback). */
final class AccessLog {
  private static final Logger LOG = LoggerFactory.getLogger("access");

  private AccessLog() {}

  static boolean enabled() {
    return LOG.isInfoEnabled();
  }

  static void write(Exchange e, int status, long nanos) {
    LOG.info(
        "{} {} {}",
        kv("method", e.head().method().name()),
        kv("uri", e.request.uri()),
        kv("status", status),
        kv("vs", e.vs() == null ? null : e.vs().name()),
        kv("pool", e.pool() == null ? null : e.pool().name()),
        kv("server", e.server() == null ? null : e.server().key()),
        kv("persistence", e.selection() == null ? null : e.selection().outcome().name()),
        kv("client", e.clientRequest().client().getAddress().getHostAddress()),
        kv("duration_ms", nanos / 1_000_000.0),
        kv("request_bytes", e.requestBytes),
        kv("response_bytes", e.responseBytes),
        kv("script_log", e.scripts == null ? null : e.scripts.log()),
        kv("user", e.scripts == null ? null : e.scripts.userId()));
  }

  /**
   * A request answered before it was parsed and routed (400, 408, 414, 431): no method, URI or
   * virtual service to name; the duration counts from its first byte.
   */
  static void writeUnrouted(InetSocketAddress client, int status, long nanos) {
    LOG.info(
        "{} {} {}",
        kv("status", status),
        kv("client", client.getAddress().getHostAddress()),
        kv("duration_ms", nanos / 1_000_000.0));
  }
}
