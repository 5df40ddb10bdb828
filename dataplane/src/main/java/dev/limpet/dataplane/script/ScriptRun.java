package dev.limpet.dataplane.script;

import dev.limpet.dataplane.script.ScriptResult.Action;
import dev.limpet.dataplane.script.ScriptResult.Close;

/** One DataScript running for one event of one transaction: what its functions read and decide. */
final class ScriptRun {
  final ScriptEvent event;
  final ScriptExchange exchange;
  final ScriptTransaction transaction;
  final CompiledDataScript script;
  final VirtualServiceScripts virtualService;
  private final RunLimiter limiter;

  /** The arguments of the {@code avi} call now running: the sandbox's one, refilled per call. */
  final Args args;

  private Action reply;
  private Close close = Close.NONE;

  ScriptRun(
      ScriptEvent event,
      ScriptExchange exchange,
      ScriptTransaction transaction,
      CompiledDataScript script,
      VirtualServiceScripts virtualService,
      RunLimiter limiter,
      Args args) {
    this.event = event;
    this.exchange = exchange;
    this.transaction = transaction;
    this.script = script;
    this.virtualService = virtualService;
    this.limiter = limiter;
    this.args = args;
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
