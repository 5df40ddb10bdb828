package dev.limpet.contract;

/**
 * HTTP/2 from clients on a virtual service: ALPN {@code h2} on TLS listeners, h2c with prior
 * knowledge on plain ones; HTTP/1.1 stays available either way. Off by default, an opt-in like
 * HAProxy's {@code alpn h2,http/1.1} and NGINX's {@code http2 on}, so an upgrade of Limpet never
 * changes the protocol under a user.
 *
 * @param maxConcurrentStreams streams a client may have open at once on one connection (SETTINGS
 *     MAX_CONCURRENT_STREAMS, default 100); more are refused with REFUSED_STREAM
 * @param maxHeaderListBytes a request's header list as HPACK counts it (SETTINGS
 *     MAX_HEADER_LIST_SIZE); 0 or absent: the virtual service's {@code limits.maxHeaderBytes}
 */
public record Http2Config(boolean enabled, int maxConcurrentStreams, int maxHeaderListBytes) {
  public static final int DEFAULT_MAX_CONCURRENT_STREAMS = 100;

  /** Bounds the validators hold a configuration to. */
  public static final int MAX_CONCURRENT_STREAMS = 10_000;

  public static final int MIN_HEADER_LIST_BYTES = 1024;
  public static final int MAX_HEADER_LIST_BYTES = 1024 * 1024;

  /** HTTP/1.1 only. */
  public static final Http2Config OFF = new Http2Config(false, 0, 0);

  public Http2Config {
    maxConcurrentStreams = Defaults.positive(maxConcurrentStreams, DEFAULT_MAX_CONCURRENT_STREAMS);
  }

  /** This configuration with the header list limit taken from a virtual service's limits. */
  Http2Config withHeaderListDefault(LimitsConfig limits) {
    return maxHeaderListBytes > 0
        ? this
        : new Http2Config(enabled, maxConcurrentStreams, limits.maxHeaderBytes());
  }

  /**
   * True for a configuration that leaves HTTP/2 off: Jackson's filter of values a document leaves
   * out, so data planes older than HTTP/2 read the documents of virtual services that do not use
   * it. The limits of a disabled configuration have no effect, so nothing is lost.
   */
  public static final class IsOff {
    @Override
    public boolean equals(Object value) {
      return !(value instanceof Http2Config c) || !c.enabled();
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }
}
