package dev.limpet.dataplane.script;

import dev.limpet.dataplane.script.ScriptResult.Action;
import dev.limpet.dataplane.script.ScriptResult.Close;

/**
 * One DataScript running for one event of one transaction: what its functions read and decide. Each
 * sandbox has one, refilled for each run ({@link #start}) and emptied after it ({@link #clear}):
 * runs on a thread never nest, and nothing keeps it past its run.
 */
final class ScriptRun {
  ScriptEvent event;
  ScriptExchange exchange;
  ScriptTransaction transaction;
  CompiledDataScript script;
  VirtualServiceScripts virtualService;
  private final RunLimiter limiter;

  /** The running thread's string conversions ({@link LuaText}), set by the sandbox per run. */
  LuaText.Recent text;

  /** The arguments of the {@code avi} call now running: the sandbox's one, refilled per call. */
  final Args args;

  private Action reply;
  private Close close = Close.NONE;

  ScriptRun(RunLimiter limiter, Args args) {
    this.limiter = limiter;
    this.args = args;
  }

  /** {@code LuaValue.valueOf(s)}, through the thread's recent conversions. */
  org.luaj.vm2.LuaString lua(String s) {
    LuaText.Recent recent = text;
    return recent != null ? recent.lua(s) : LuaText.lua(s);
  }

  /** Fills this run for {@code script} in {@code event} of {@code transaction}. */
  ScriptRun start(
      ScriptEvent event,
      ScriptExchange exchange,
      ScriptTransaction transaction,
      CompiledDataScript script,
      VirtualServiceScripts virtualService) {
    this.event = event;
    this.exchange = exchange;
    this.transaction = transaction;
    this.script = script;
    this.virtualService = virtualService;
    reply = null;
    close = Close.NONE;
    return this;
  }

  /** Drops what the finished run referred to, so no request outlives its run here. */
  void clear() {
    start(null, null, null, null, null);
  }

  /** The script line now executing. */
  int line() {
    return limiter.currentLine();
  }

  /** Records a local reply and ends the script for this event. */
  void replyAndExit(Action reply) {
    this.reply = reply;
    throw ScriptExit.INSTANCE;
  }

  Action reply() {
    return reply;
  }

  void close(Close close) {
    this.close = close;
  }

  Close close() {
    return close;
  }
}
