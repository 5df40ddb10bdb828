package dev.limpet.dataplane.metrics;

import dev.limpet.dataplane.script.ScriptFailure;
import dev.limpet.dataplane.script.ScriptMetrics;
import dev.limpet.dataplane.script.SelectionFallback;
import dev.limpet.dataplane.upstream.Selection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every metric the data plane exports, in Prometheus format. Meters are looked up once per label
 * set and cached, so the request path does no registry work.
 */
public final class DataPlaneMetrics implements ScriptMetrics {
  private static final String SELECTION_FALLBACKS = "limpet_datascript_selection_fallbacks";
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RequestMeters> requestMeters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter[]> persistenceCounters =
      new ConcurrentHashMap<>();

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /**
   * The selection fallbacks counted so far, by DataScript and reason ({@code not_member}, {@code
   * down}, ...), summed over virtual services and pools: what a replica reports for a DataScript's
   * status. Read from the metric itself, so the two never disagree.
   */
  public Map<String, Map<String, Long>> selectionFallbacks() {
    Map<String, Map<String, Long>> byScript = new TreeMap<>();
    for (Counter c : registry.find(SELECTION_FALLBACKS).counters())
      byScript
          .computeIfAbsent(c.getId().getTag("datascript"), s -> new TreeMap<>())
          .merge(c.getId().getTag("reason"), (long) c.count(), Long::sum);
    return byScript;
  }

  /** One finished request: its status class and latency, per virtual service. */
  public void request(String virtualService, int status, long nanos) {
    RequestMeters meters = requestMeters.get(virtualService);
    if (meters == null) meters = requestMeters.computeIfAbsent(virtualService, this::requestMeters);
    meters.byStatusClass[Math.min(Math.max(status / 100, 0), 5)].increment();
    meters.duration.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The meters of one virtual service: a counter per status class (0 = none sent) and the latency.
   */
  private record RequestMeters(Counter[] byStatusClass, Timer duration) {}

  private RequestMeters requestMeters(String virtualService) {
    Counter[] counters = new Counter[6];
    for (int c = 0; c < counters.length; c++) {
      counters[c] =
          Counter.builder("limpet_requests")
              .tag("virtual_service", virtualService)
              .tag("status", c == 0 ? "none" : c + "xx")
              .register(registry);
    }
    Timer duration =
        Timer.builder("limpet_request_duration")
            .description("Time from a request's head to its response's last byte")
            .tag("virtual_service", virtualService)
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofSeconds(60))
            .register(registry);
    return new RequestMeters(counters, duration);
  }

  /** An upstream failure: {@code connect}, {@code reset}, {@code timeout}. */
  public void upstreamError(String pool, String kind) {
    counter("limpet_upstream_errors", "pool", pool, "kind", kind).increment();
  }

  /** A tunnel (WebSocket) closed because its server drained, was disabled or left the pool. */
  public void tunnelDrained(String pool) {
    counter("limpet_tunnels_drained", "pool", pool, "", "").increment();
  }

  /** How persistence took part in one choice of server. */
  public void persistence(String pool, Selection.Outcome outcome) {
    if (outcome == Selection.Outcome.NONE) return;
    Counter[] counters = persistenceCounters.get(pool);
    if (counters == null)
      counters = persistenceCounters.computeIfAbsent(pool, this::persistenceCounters);
    counters[outcome.ordinal()].increment();
  }

  private Counter[] persistenceCounters(String pool) {
    Counter[] counters = new Counter[Selection.Outcome.values().length];
    for (Selection.Outcome o : Selection.Outcome.values()) {
      if (o == Selection.Outcome.NONE) continue;
      counters[o.ordinal()] =
          Counter.builder("limpet_persistence")
              .tag("pool", pool)
              .tag("outcome", o.name().toLowerCase(java.util.Locale.ROOT))
              .register(registry);
    }
    return counters;
  }

  /** A client refused by a virtual service's network security rules. */
  public void denied(String virtualService) {
    counter("limpet_denied_clients", "virtual_service", virtualService, "", "").increment();
  }

  /** A connection closed at accept, e.g. {@code limit} when the listener is full. */
  public void refusedConnection(String reason) {
    counter("limpet_refused_connections", "reason", reason, "", "").increment();
  }

  /** A client connection that turned to HTTP/2 (ALPN h2, or h2c with prior knowledge). */
  public void http2Connection() {
    counter("limpet_http2_connections", "", "", "", "").increment();
  }

  /** An HTTP/2 stream a client opened: one exchange each. */
  public void http2Stream() {
    counter("limpet_http2_streams", "", "", "", "").increment();
  }

  /**
   * A stream (frame {@code rst_stream}) or a whole connection ({@code goaway}) the HTTP/2 codec
   * refused, by error code: REFUSED_STREAM over the concurrency limit, ENHANCE_YOUR_CALM for a
   * reset or CONTINUATION flood, PROTOCOL_ERROR for a malformed request.
   */
  public void http2Refusal(String frame, String error) {
    counter("limpet_http2_refusals", "frame", frame, "error", error).increment();
  }

  /**
   * An HTTP/2 stream whose first request waited for the first response of its virtual service on
   * its connection (so that the response's DataScripts pin its key first), by how the wait ended:
   * {@code response} (the first response came back), {@code first_ended} (the first exchange ended
   * without one), {@code timeout}, {@code reset} (the client reset the waiting stream), or {@code
   * full} (not held: too many were waiting already).
   */
  public void http2HeldStream(String virtualService, String outcome) {
    counter("limpet_http2_held_streams", "virtual_service", virtualService, "outcome", outcome)
        .increment();
  }

  /** A request the proxy answered itself because it was malformed or over a limit. */
  public void badRequest(int status) {
    counter("limpet_bad_requests", "status", Integer.toString(status), "", "").increment();
  }

  @Override
  public void failed(ScriptFailure f) {
    Counter.builder("limpet_datascript_errors")
        .description("DataScript runs that failed (error or limit), per script and event")
        .tags(
            "virtual_service",
            f.virtualService(),
            "datascript",
            f.dataScript(),
            "event",
            f.event().name(),
            "reason",
            f.reason())
        .register(registry)
        .increment();
  }

  @Override
  public void selectionFallback(
      String virtualService, String dataScript, String pool, SelectionFallback reason) {
    Counter.builder(SELECTION_FALLBACKS)
        .description(
            "avi.pool.select did not go where the script said: server not a member, down or"
                + " draining (the pool balanced), or port ignored")
        .tags(
            "virtual_service",
            virtualService,
            "datascript",
            dataScript,
            "pool",
            pool,
            "reason",
            reason.tag())
        .register(registry)
        .increment();
  }

  private Counter counter(String name, String k1, String v1, String k2, String v2) {
    String id = name + '|' + v1 + '|' + v2;
    Counter c = counters.get(id);
    if (c != null) return c;
    return counters.computeIfAbsent(
        id,
        x -> {
          var b = Counter.builder(name);
          if (!k1.isEmpty()) b.tag(k1, v1);
          if (!k2.isEmpty()) b.tag(k2, v2);
          return b.register(registry);
        });
  }

  public String scrape() {
    return registry.scrape();
  }
}
