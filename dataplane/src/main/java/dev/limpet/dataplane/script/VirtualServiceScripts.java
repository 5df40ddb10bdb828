package dev.limpet.dataplane.script;

import dev.limpet.dataplane.script.ScriptResult.Close;
import dev.limpet.dataplane.script.ScriptResult.Failed;
import java.util.List;

/**
 * The DataScripts of one virtual service under one configuration version, in list order, with what
 * their functions reach (tables, pools). Immutable and shared by every event loop; call {@link
 * #run} from the thread that owns the transaction.
 */
public final class VirtualServiceScripts {
  private final DataScriptEngine engine;
  private final String name;
  private final String defaultPool;
  private final List<CompiledDataScript> scripts;
  private final ScriptTables tables;
  private final ScriptPools pools;
  private final boolean readsRequestBody;
  private final boolean learnsInResponse;

  /** Whether some script handles each event, by ordinal: asked once per request per event. */
  private final boolean[] handled = new boolean[ScriptEvent.values().length];

  VirtualServiceScripts(
      DataScriptEngine engine,
      String name,
      String defaultPool,
      List<CompiledDataScript> scripts,
      ScriptTables tables,
      ScriptPools pools) {
    this.engine = engine;
    this.name = name;
    this.defaultPool = defaultPool;
    this.scripts = List.copyOf(scripts);
    this.tables = tables;
    this.pools = pools;
    this.readsRequestBody = scripts.stream().anyMatch(CompiledDataScript::readsRequestBody);
    this.learnsInResponse = scripts.stream().anyMatch(CompiledDataScript::learnsInResponse);
    for (ScriptEvent event : ScriptEvent.values())
      handled[event.ordinal()] = scripts.stream().anyMatch(s -> s.chunk(event) != null);
  }

  /**
   * Runs every script that handles {@code event}, in order, until one replies or fails. A failure
   * is logged and counted here, and answered with {@link Failed}; nothing a script does throws out
   * of this method.
   */
  public ScriptResult run(
      ScriptEvent event, ScriptTransaction transaction, ScriptExchange exchange) {
    transaction.enter();
    Close close = Close.NONE;
    for (CompiledDataScript script : scripts) {
      ScriptChunk chunk = script.chunk(event);
      if (chunk == null) continue;
      ScriptSandbox sandbox = engine.sandbox();
      ScriptRun run = sandbox.startRun(event, exchange, transaction, script, this);
      ScriptSandbox.Failure failure =
          sandbox.run(run, chunk, transaction.environment(script.name()), engine.limits());
      if (run.close().compareTo(close) > 0) close = run.close();
      ScriptResult.Action reply = run.reply();
      run.clear();
      if (failure != null) {
        if (failure.poisoned()) engine.discardSandbox();
        ScriptFailure record =
            new ScriptFailure(
                name,
                script.name(),
                event,
                failure.reason(),
                failure.line(),
                failure.message(),
                failure.luaStack());
        ScriptFailureLog.log(record);
        engine.metrics().failed(record);
        return new ScriptResult(new Failed(record), close, transaction.selection());
      }
      if (reply != null) return new ScriptResult(reply, close, transaction.selection());
    }
    return close == Close.NONE
        ? transaction.proceeded()
        : new ScriptResult(ScriptResult.PROCEED, close, transaction.selection());
  }

  /**
   * True when some script reads the request body ({@code avi.http.get_req_body}): the proxy then
   * buffers the first bytes of each request body before HTTP_REQ.
   */
  public boolean readsRequestBody() {
    return readsRequestBody;
  }

  /**
   * True when some script learns in HTTP_RESP where a key's later requests go ({@code
   * avi.vs.table_insert}): the first requests on one HTTP/2 connection then wait for the first
   * response ({@code FirstResponseGate}).
   */
  public boolean learnsInResponse() {
    return learnsInResponse;
  }

  /** True when some script handles {@code event}: the proxy may skip the call otherwise. */
  public boolean handles(ScriptEvent event) {
    return handled[event.ordinal()];
  }

  String name() {
    return name;
  }

  String defaultPool() {
    return defaultPool;
  }

  ScriptTables tables() {
    return tables;
  }

  ScriptPools pools() {
    return pools;
  }

  ScriptMetrics metrics() {
    return engine.metrics();
  }
}
