package dev.limpet.dataplane.script;

import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;

/**
 * The process-wide DataScript runtime: the limits, the metrics, and one sandbox per thread that
 * runs scripts, created on first use (no Lua state is ever shared between threads). Build the
 * {@link VirtualServiceScripts} of each configuration version with {@link #virtualService}.
 */
public final class DataScriptEngine {
  private final ScriptLimits limits;
  private final ScriptMetrics metrics;
  private final FastThreadLocal<ScriptSandbox> sandboxes =
      new FastThreadLocal<>() {
        @Override
        protected ScriptSandbox initialValue() {
          return new ScriptSandbox(limits.callDepth());
        }
      };

  public DataScriptEngine(ScriptLimits limits, ScriptMetrics metrics) {
    this.limits = limits;
    this.metrics = metrics;
  }

  /**
   * The scripts of one virtual service, in its {@code dataScripts} order.
   *
   * @param defaultPool the virtual service's pool: what {@code avi.pool.get_servers()} reads when
   *     no script selected one
   */
  public VirtualServiceScripts virtualService(
      String name,
      String defaultPool,
      List<CompiledDataScript> scripts,
      ScriptTables tables,
      ScriptPools pools) {
    return new VirtualServiceScripts(this, name, defaultPool, scripts, tables, pools);
  }

  public ScriptLimits limits() {
    return limits;
  }

  ScriptMetrics metrics() {
    return metrics;
  }

  ScriptSandbox sandbox() {
    return sandboxes.get();
  }

  /** Drops this thread's sandbox after an abort; the next run builds a fresh one. */
  void discardSandbox() {
    sandboxes.remove();
  }
}
