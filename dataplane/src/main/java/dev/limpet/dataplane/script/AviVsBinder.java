package dev.limpet.dataplane.script;

import static dev.limpet.dataplane.script.Namespace.ALL;
import static dev.limpet.dataplane.script.Namespace.REQUEST;
import static dev.limpet.dataplane.script.Namespace.REQUEST_RESPONSE;

import dev.limpet.dataplane.upstream.Server;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;

/** {@code avi.vs}: the virtual service, the client, the log, {@code reqvar} and the tables. */
final class AviVsBinder {
  private static final LuaValue REQVAR = LuaValue.valueOf("reqvar");

  private AviVsBinder() {}

  static ReadOnlyTable bind(Supplier<ScriptRun> runs) {
    Namespace vs =
        new Namespace("avi.vs", runs)
            .add("name", ALL, (run, args) -> LuaValue.valueOf(run.virtualService.name()))
            .add("ip", ALL, (run, args) -> ip(run.exchange.localAddress()))
            .add("port", ALL, (run, args) -> port(run.exchange.localAddress()))
            .add("client_ip", ALL, (run, args) -> ip(run.exchange.clientAddress()))
            .add("client_port", ALL, (run, args) -> port(run.exchange.clientAddress()))
            .add("log", ALL, AviVsBinder::log)
            .add("table_insert", REQUEST_RESPONSE, AviVsBinder::insert)
            .add("table_lookup", REQUEST_RESPONSE, AviVsBinder::lookup)
            .add("table_refresh", REQUEST_RESPONSE, AviVsBinder::refresh)
            .add("table_remove", REQUEST_RESPONSE, AviVsBinder::remove)
            .add("persist", REQUEST, AviVsBinder::persist)
            .add("rate_limit", REQUEST, AviVsBinder::rateLimit)
            .add(
                "get_open_conns", ALL, (run, a) -> LuaValue.valueOf(run.exchange.openConnections()))
            .add("se_count", ALL, (run, a) -> LuaValue.valueOf(run.exchange.replicaCount()));
    vs.table()
        .rawset(
            "ratelimit",
            new ReadOnlyTable(
                new Namespace("avi.vs.ratelimit", runs)
                    .add("exceed", REQUEST_RESPONSE, AviVsBinder::exceed)
                    .table()));
    LuaTable meta = new LuaTable();
    meta.rawset(LuaValue.INDEX, new Reqvar(runs));
    meta.rawset(LuaValue.METATABLE, LuaValue.FALSE);
    return new ReadOnlyTable(vs.table(), new ReadOnlyTable(meta));
  }

  private static LuaValue ip(InetSocketAddress address) {
    return LuaValue.valueOf(address.getAddress().getHostAddress());
  }

  private static LuaValue port(InetSocketAddress address) {
    return LuaValue.valueOf(String.valueOf(address.getPort()));
  }

  /** Joins the arguments with spaces, prefixed with {@code [script:line]}. */
  private static Varargs log(ScriptRun run, Args args) {
    StringBuilder line =
        new StringBuilder("[").append(run.script.name()).append(':').append(run.line()).append(']');
    for (int i = 1; i <= args.size(); i++)
      line.append(' ').append(args.isNil(i) ? "nil" : args.text(i));
    run.exchange.log(line.toString());
    return LuaValue.NONE;
  }

  private static ScriptTable table(ScriptRun run, TableCall call) {
    ScriptTables tables = run.virtualService.tables();
    return call.table() == null ? tables.defaultTable() : tables.named(call.table());
  }

  private static Varargs insert(ScriptRun run, Args args) {
    TableCall call = TableCall.insert(args);
    return LuaValue.valueOf(table(run, call).insert(call.key(), call.value(), call.millis()));
  }

  private static Varargs lookup(ScriptRun run, Args args) {
    TableCall call = TableCall.lookup(args);
    if (args.firstResultOnly()) {
      String value = table(run, call).lookupValue(call.key(), call.millis());
      return value == null ? LuaValue.NIL : run.lua(value);
    }
    ScriptTable.Entry entry = table(run, call).lookup(call.key(), call.millis());
    if (entry == null) return LuaValue.NIL;
    long seconds = (entry.remainingMillis() + 999) / 1000;
    return LuaValue.varargsOf(run.lua(entry.value()), LuaInteger.valueOf(seconds));
  }

  private static Varargs refresh(ScriptRun run, Args args) {
    TableCall call = TableCall.lookup(args);
    return LuaValue.valueOf(table(run, call).refresh(call.key(), call.millis()));
  }

  /**
   * {@code ratelimit.exceed(limiter, key [, consume])}: takes {@code consume} tokens (default 1)
   * from the bucket of {@code key} in the DataScript's rate limiter {@code limiter}; true when the
   * bucket holds fewer (then nothing is taken). Never acts: the script decides.
   */
  private static Varargs exceed(ScriptRun run, Args args) {
    String name = args.string(1);
    TokenBuckets limiter = run.script.rateLimiter(name);
    if (limiter == null)
      throw args.bad(
          1, "no rate limiter '" + name + "' in this DataScript " + run.script.rateLimiterNames());
    String key = args.text(2);
    int consume = args.isNil(3) ? 1 : args.wholeInRange(3, 1, Integer.MAX_VALUE);
    RunLimiter.active().chargeBytes(key.length());
    return LuaValue.valueOf(limiter.exceeds(key, consume));
  }

  /**
   * {@code rate_limit(avi.RL_CUSTOM_STRING, key [, defer_action])}: counts {@code key} against the
   * DataScript's first rate limiter; returns whether it is over the limit and the limiter's action
   * ({@code avi.RL_ACTION_*}). Over the limit and not deferred, the action is taken: {@code
   * CLOSE_CONN} closes the connection, {@code LOCAL_RSP} answers with the limiter's status.
   */
  private static Varargs rateLimit(ScriptRun run, Args args) {
    if (!args.isNumeric(1) || args.whole(1) != AviConstants.RL_CUSTOM_STRING)
      throw args.bad(1, "avi.RL_CUSTOM_STRING expected (the only rate limiter type)");
    TokenBuckets limiter = run.script.firstRateLimiter();
    if (limiter == null)
      throw args.error("avi.vs.rate_limit needs a rate limiter declared in the DataScript");
    String key = args.text(2);
    RunLimiter.active().chargeBytes(key.length());
    boolean exceeded = limiter.exceeds(key, 1);
    var action = limiter.config().action();
    if (exceeded && !args.get(3).toboolean()) {
      switch (action) {
        case CLOSE_CONN -> run.close(ScriptResult.Close.FIN);
        case LOCAL_RSP ->
            run.replyAndExit(
                new ScriptResult.LocalResponse(
                    limiter.config().status(),
                    new io.netty.handler.codec.http.DefaultHttpHeaders()
                        .add("Content-Type", "text/plain"),
                    "rate limit exceeded\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        case NONE -> {}
      }
    }
    return LuaValue.varargsOf(
        LuaValue.valueOf(exceeded), LuaValue.valueOf(AviConstants.rateLimitAction(action)));
  }

  /** The table of {@code avi.vs.persist} for {@code pool}; a name no other table shares. */
  static String persistTable(String pool) {
    return "avi.vs.persist/" + pool;
  }

  /**
   * {@code persist(key [, lifetime] [, pool])}: a request with {@code key} goes to the server the
   * first request with it was balanced to (in {@code pool}, default the pool chosen so far), for
   * {@code lifetime} seconds (default 300) after the last. The entry lives in the virtual service's
   * replicated tables; it is written when that server answers. A pinned server that is gone or down
   * is balanced around and the key pinned anew.
   */
  private static Varargs persist(ScriptRun run, Args args) {
    String key = args.text(1);
    long millis =
        1000 * (args.isNil(2) ? TableCall.DEFAULT_SECONDS : TableCall.lifetime(args, 2, 1));
    String pool = args.isNil(3) ? currentPool(run) : AviPoolBinder.allowedPool(run, args, 3);
    ScriptTable table = run.virtualService.tables().named(persistTable(pool));
    ScriptTable.Entry entry = table.lookup(key, millis);
    if (entry != null) {
      for (Server s : run.virtualService.pools().members(pool))
        if (s.key().equals(entry.value()) && s.up()) {
          run.transaction.select(new PoolSelection(pool, s));
          return LuaValue.NONE;
        }
      table.remove(key);
    }
    if (!args.isNil(3)) run.transaction.select(new PoolSelection(pool, null));
    run.transaction.persistAfterBalancing(
        new ScriptTransaction.PendingPersist(table, key, pool, millis));
    return LuaValue.NONE;
  }

  private static String currentPool(ScriptRun run) {
    PoolSelection selection = run.transaction.selection();
    return selection != null ? selection.pool() : run.virtualService.defaultPool();
  }

  private static Varargs remove(ScriptRun run, Args args) {
    TableCall call = TableCall.remove(args);
    table(run, call).remove(call.key());
    return LuaValue.NONE;
  }

  /** {@code avi.vs.reqvar}: the current transaction's table, found per access. */
  private static final class Reqvar extends TwoArgFunction {
    private final Supplier<ScriptRun> runs;

    Reqvar(Supplier<ScriptRun> runs) {
      this.runs = runs;
    }

    @Override
    public LuaValue call(LuaValue table, LuaValue key) {
      return REQVAR.equals(key) ? runs.get().transaction.reqvar() : NIL;
    }
  }
}
