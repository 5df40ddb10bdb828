package dev.limpet.dataplane.script;

/** The counters the script runtime feeds; the metrics package backs them with real meters. */
public interface ScriptMetrics {
  /** A run failed (error or limit): counted per virtual service, DataScript and event. */
  void failed(ScriptFailure failure);

  /**
   * {@code avi.pool.select} named a server that is not a member, down or draining; the request was
   * load-balanced in the pool instead.
   */
  void selectedServerNotUsed(String virtualService, String dataScript, String pool);
}
