package dev.limpet.dataplane.script;

/** The counters the script runtime feeds; the metrics package backs them with real meters. */
public interface ScriptMetrics {
  /** A run failed (error or limit): counted per virtual service, DataScript and event. */
  void failed(ScriptFailure failure);

  /**
   * {@code avi.pool.select} did not send the request where the script said: the server is not a
   * member, down or draining (the pool balanced instead), or the port was ignored.
   */
  void selectionFallback(
      String virtualService, String dataScript, String pool, SelectionFallback reason);
}
