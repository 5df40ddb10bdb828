package dev.limpet.dataplane.script;

import static dev.limpet.dataplane.script.Namespace.REQUEST;
import static dev.limpet.dataplane.script.Namespace.REQUEST_RESPONSE;
import static dev.limpet.dataplane.script.Namespace.RESPONSE;

import dev.limpet.dataplane.upstream.Server;
import java.util.List;
import java.util.function.Supplier;
import org.luaj.vm2.LuaInteger;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/** {@code avi.pool}: choosing the pool and server of a request, and reading server state. */
final class AviPoolBinder {
  private AviPoolBinder() {}

  static ReadOnlyTable bind(Supplier<ScriptRun> runs) {
    return new ReadOnlyTable(
        new Namespace("avi.pool", runs)
            .add("select", REQUEST, AviPoolBinder::select)
            .add("chash", REQUEST, AviPoolBinder::chash)
            .add("get_server_status", REQUEST_RESPONSE, AviPoolBinder::serverStatus)
            .add("get_servers", REQUEST_RESPONSE, AviPoolBinder::servers)
            .add("server_ip", RESPONSE, AviPoolBinder::serverIp)
            .add("get_server_info", RESPONSE, AviPoolBinder::serverInfo)
            .table());
  }

  /**
   * {@code select(pool [, server [, port]])}. A named server that is not a member, is down or is
   * draining is not used: the request is balanced in the pool. A port that is none of the member's
   * ports (any number, e.g. the remaining lifetime that {@code table_lookup} returns second) is
   * ignored and the member's pool port used. Each case is reported by {@link SelectionReport}.
   */
  private static Varargs select(ScriptRun run, Args args) {
    String pool = allowedPool(run, args, 1);
    Server server = null;
    if (!args.isNil(2)) {
      String wanted = args.string(2);
      if (!args.isNil(3) && !args.isNumeric(3))
        throw args.bad(3, "port number expected, got " + args.get(3).typename());
      Double port = args.isNil(3) ? null : args.get(3).todouble();
      if (port == null) {
        // the usual call (a name, no port): the first member of that name that is up
        server = firstUp(run, pool, wanted);
        if (server != null) {
          run.transaction.select(new PoolSelection(pool, server));
          return LuaValue.NONE;
        }
      }
      // the candidates: the members of that name, on that port when one of them has it
      List<Server> members = run.virtualService.pools().members(pool);
      boolean anyNamed = false;
      boolean anyOnPort = false;
      for (Server s : members)
        if (names(s, wanted)) {
          anyNamed = true;
          anyOnPort |= port != null && s.config().port() == port;
        }
      if (port != null && !anyOnPort && anyNamed)
        SelectionReport.report(run, pool, wanted, port, SelectionFallback.PORT_IGNORED);
      boolean anyCandidate = false;
      boolean allDraining = true;
      for (Server s : members)
        if (names(s, wanted) && (!anyOnPort || s.config().port() == port)) {
          if (s.up()) {
            server = s;
            break;
          }
          anyCandidate = true;
          allDraining &= s.draining();
        }
      if (server == null) {
        SelectionFallback why =
            !anyCandidate
                ? SelectionFallback.NOT_MEMBER
                : allDraining ? SelectionFallback.DRAINING : SelectionFallback.DOWN;
        SelectionReport.report(run, pool, wanted, port, why);
      }
    }
    run.transaction.select(new PoolSelection(pool, server));
    return LuaValue.NONE;
  }

  /**
   * {@code chash(key)}: the request goes to the server consistent hashing gives {@code key} in the
   * pool chosen so far (the script's, else the virtual service's). Resolved at the call: a later
   * {@code select(pool)} replaces it. When no server accepts clients the pool balances as usual.
   */
  private static Varargs chash(ScriptRun run, Args args) {
    String key = args.text(1);
    RunLimiter.active().chargeBytes(key.length());
    String pool = currentPool(run);
    run.transaction.select(
        new PoolSelection(pool, run.virtualService.pools().consistentHash(pool, key)));
    return LuaValue.NONE;
  }

  /** {@code get_server_status(pool, server, port)}: 1 up, 0 down, nil when not a member. */
  private static Varargs serverStatus(ScriptRun run, Args args) {
    String pool = allowedPool(run, args, 1);
    Integer port = args.isNil(3) ? null : args.wholeInRange(3, 1, 65_535);
    Server server = member(run, pool, args.string(2), port);
    if (server == null) return LuaValue.NIL;
    return LuaValue.valueOf(server.up() ? 1 : 0);
  }

  /** {@code get_servers([pool])}: servers up, servers configured. */
  private static Varargs servers(ScriptRun run, Args args) {
    String pool = args.isNil(1) ? currentPool(run) : allowedPool(run, args, 1);
    List<Server> members = run.virtualService.pools().members(pool);
    int up = (int) members.stream().filter(Server::up).count();
    return LuaValue.varargsOf(LuaValue.valueOf(up), LuaValue.valueOf(members.size()));
  }

  private static Varargs serverIp(ScriptRun run, Args args) {
    Server server = run.exchange.respondingServer();
    return server == null ? LuaValue.NIL : run.lua(server.config().ip());
  }

  private static Varargs serverInfo(ScriptRun run, Args args) {
    Server server = run.exchange.respondingServer();
    if (server == null) return LuaValue.NIL;
    return LuaValue.varargsOf(
        LuaValue.valueOf(server.config().ip()), LuaInteger.valueOf(server.config().port()));
  }

  /** The pool the request goes to: the script's choice, else the virtual service's pool. */
  private static String currentPool(ScriptRun run) {
    PoolSelection selection = run.transaction.selection();
    return selection != null ? selection.pool() : run.virtualService.defaultPool();
  }

  static String allowedPool(ScriptRun run, Args args, int i) {
    String name = args.string(i);
    String pool = run.script.pool(name);
    if (pool == null)
      throw args.bad(
          i,
          "pool '"
              + name
              + "' is not in the pools of DataScript "
              + run.script.name()
              + " "
              + run.script.poolScriptNames());
    return pool;
  }

  /** The member named {@code server} (its name or IP) on {@code port} (any when null). */
  private static Server member(ScriptRun run, String pool, String server, Integer port) {
    for (Server s : run.virtualService.pools().members(pool))
      if (names(s, server) && (port == null || s.config().port() == port)) return s;
    return null;
  }

  /** The first member whose name or IP is {@code server} and that is up, or null. */
  private static Server firstUp(ScriptRun run, String pool, String server) {
    for (Server s : run.virtualService.pools().members(pool))
      if (names(s, server) && s.up()) return s;
    return null;
  }

  /** True when {@code server} is {@code s}'s name or IP. */
  private static boolean names(Server s, String server) {
    return s.name().equals(server) || s.config().ip().equals(server);
  }
}
