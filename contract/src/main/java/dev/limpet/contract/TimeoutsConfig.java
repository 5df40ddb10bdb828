package dev.limpet.contract;

/**
 * Timeouts of a virtual service, in milliseconds; 0 or absent means the default.
 *
 * @param connectMs upstream TCP connect (default 2,000)
 * @param clientIdleMs a keep-alive client connection with no request in flight (default 60,000)
 * @param headerReadMs from a request's first byte until its headers are complete (default 10,000)
 * @param upstreamResponseMs from the request's last byte until the response headers (default
 *     60,000); also the longest pause between two reads of a streamed body
 */
public record TimeoutsConfig(
    int connectMs, int clientIdleMs, int headerReadMs, int upstreamResponseMs) {
  public static final TimeoutsConfig DEFAULT = new TimeoutsConfig(0, 0, 0, 0);

  public TimeoutsConfig {
    connectMs = Defaults.positive(connectMs, 2_000);
    clientIdleMs = Defaults.positive(clientIdleMs, 60_000);
    headerReadMs = Defaults.positive(headerReadMs, 10_000);
    upstreamResponseMs = Defaults.positive(upstreamResponseMs, 60_000);
  }
}
