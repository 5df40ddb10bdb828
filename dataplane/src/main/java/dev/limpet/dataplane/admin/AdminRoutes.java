package dev.limpet.dataplane.admin;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.upstream.Pool;
import dev.limpet.dataplane.upstream.Server;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What each admin path answers; pure apart from reading the data plane's state. */
final class AdminRoutes {
  private static final String JSON = "application/json";
  private final DataPlane dataPlane;

  record Reply(int status, String contentType, Object body) {}

  AdminRoutes(DataPlane dataPlane) {
    this.dataPlane = dataPlane;
  }

  Reply answer(String method, String uri) {
    if (!method.equals("GET")) return new Reply(405, "text/plain", "GET only\n");
    String path = uri.indexOf('?') < 0 ? uri : uri.substring(0, uri.indexOf('?'));
    return switch (path) {
      case "/healthz" -> new Reply(200, "text/plain", "ok\n");
      case "/livez" -> liveness();
      case "/readyz" -> readiness();
      case "/config" -> new Reply(200, JSON, configView(dataPlane));
      case "/pools" -> new Reply(200, JSON, poolsView(dataPlane.current()));
      case "/tables" -> new Reply(200, JSON, dataPlane.tableSizes());
      case "/peers" -> new Reply(200, JSON, dataPlane.peersView());
      case "/datascripts" ->
          new Reply(200, JSON, dataScriptsView(dataPlane.metrics().selectionFallbacks()));
      case "/metrics" ->
          new Reply(200, "text/plain; version=0.0.4; charset=utf-8", dataPlane.metrics().scrape());
      default ->
          new Reply(
              404,
              "text/plain",
              "paths: /healthz /livez /readyz /config /pools /tables /peers /datascripts /metrics\n");
    };
  }

  /**
   * Per DataScript, the {@code avi.pool.select} calls that fell back since the replica started, by
   * reason, and the sentence a status condition can carry. A DataScript without fallbacks is
   * absent.
   */
  static Map<String, Object> dataScriptsView(Map<String, Map<String, Long>> fallbacks) {
    Map<String, Object> view = new LinkedHashMap<>();
    fallbacks.forEach(
        (script, byReason) -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("selectionFallbacks", byReason);
          entry.put("message", fallbackMessage(byReason));
          view.put(script, entry);
        });
    return view;
  }

  /** {@code 12 selections fell back (down 2, not_member 10)}. */
  static String fallbackMessage(Map<String, Long> byReason) {
    long total = byReason.values().stream().mapToLong(Long::longValue).sum();
    StringBuilder reasons = new StringBuilder();
    byReason.forEach(
        (reason, count) ->
            reasons.append(reasons.isEmpty() ? "" : ", ").append(reason).append(' ').append(count));
    return total
        + (total == 1 ? " selection fell back (" : " selections fell back (")
        + reasons
        + ")";
  }

  /**
   * The liveness probe: 503 while an event loop is stalled (its connections are stuck, and only a
   * restart frees them); whether the replica should get traffic is {@code /readyz}'s business.
   */
  private Reply liveness() {
    return dataPlane
        .livenessProblem()
        .map(problem -> new Reply(503, "text/plain", "not live: " + problem + "\n"))
        .orElseGet(() -> new Reply(200, "text/plain", "live\n"));
  }

  /** The probe's status, and in the body what a person reading it should know. */
  private Reply readiness() {
    var problem = dataPlane.peerProblem();
    if (dataPlane.ready())
      return new Reply(
          200, "text/plain", "ready" + problem.map(p -> ", but " + p).orElse("") + "\n");
    return new Reply(
        503,
        "text/plain",
        "not ready: no configuration applied yet, tables not yet synced from peers, or shutting"
            + " down"
            + problem.map(p -> "; " + p).orElse("")
            + "\n");
  }

  private static Map<String, Object> configView(DataPlane dataPlane) {
    RuntimeConfig config = dataPlane.current();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("version", config.version());
    view.put("tlsProvider", dataPlane.tlsProvider().name());
    view.put("transport", dataPlane.transport().name());
    view.put("config", config.config());
    return view;
  }

  private static Map<String, Object> poolsView(RuntimeConfig config) {
    Map<String, Object> pools = new LinkedHashMap<>();
    for (Pool pool : config.pools().pools()) {
      List<Map<String, Object>> servers =
          pool.servers().stream().map(AdminRoutes::serverView).toList();
      Map<String, Object> view = new LinkedHashMap<>();
      view.put("serversUp", pool.serversUp());
      view.put("serversTotal", pool.servers().size());
      view.put("servers", servers);
      pools.put(pool.name(), view);
    }
    return pools;
  }

  private static Map<String, Object> serverView(Server s) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("name", s.name());
    view.put("address", s.key());
    view.put(
        "state",
        s.up()
            ? "up"
            : !s.enabled()
                ? "disabled"
                : s.draining() ? "draining" : !s.healthy() ? "down" : "at-connection-limit");
    view.put("healthy", s.healthy());
    view.put("openConnections", s.openConnections());
    view.put("activeRequests", s.activeRequests());
    return view;
  }
}
