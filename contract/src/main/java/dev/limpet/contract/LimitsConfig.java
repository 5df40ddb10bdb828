package dev.limpet.contract;

/**
 * Request limits of a virtual service; 0 or absent means the default.
 *
 * @param maxHeaderBytes all request header lines together (default 16 KiB); over it: 431
 * @param maxUriBytes the request line's URI (default 8 KiB); over it: 414
 * @param maxConnections concurrent client connections to the listener (default 10,000); over it a
 *     new connection is closed at accept
 */
public record LimitsConfig(int maxHeaderBytes, int maxUriBytes, int maxConnections) {
  public static final LimitsConfig DEFAULT = new LimitsConfig(0, 0, 0);

  public LimitsConfig {
    maxHeaderBytes = Defaults.positive(maxHeaderBytes, 16 * 1024);
    maxUriBytes = Defaults.positive(maxUriBytes, 8 * 1024);
    maxConnections = Defaults.positive(maxConnections, 10_000);
  }
}
