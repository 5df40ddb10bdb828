package dev.limpet.dataplane.script;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Builds one {@code avi.*} namespace table. Every function first checks that the current event
 * allows it (Kong PDK's {@code check_phase}) and raises a Lua error naming the events that do.
 * Errors a function raises are positioned by LuaJ at the calling script line, as {@code error(msg,
 * 2)} does in Lua.
 */
final class Namespace {
  static final Set<ScriptEvent> ALL = EnumSet.allOf(ScriptEvent.class);
  static final Set<ScriptEvent> REQUEST = EnumSet.of(ScriptEvent.HTTP_REQ);
  static final Set<ScriptEvent> RESPONSE = EnumSet.of(ScriptEvent.HTTP_RESP);
  static final Set<ScriptEvent> REQUEST_RESPONSE =
      EnumSet.of(ScriptEvent.HTTP_REQ, ScriptEvent.HTTP_RESP);

  /** The body of an {@code avi} function. */
  interface Body {
    Varargs call(ScriptRun run, Args args);
  }

  private final String prefix;
  private final Supplier<ScriptRun> runs;
  private final LuaTable table = new LuaTable();

  Namespace(String prefix, Supplier<ScriptRun> runs) {
    this.prefix = prefix;
    this.runs = runs;
  }

  Namespace add(String name, Set<ScriptEvent> events, Body body) {
    table.rawset(name, new AviFunction(prefix + "." + name, events, runs, body));
    return this;
  }

  LuaTable table() {
    return table;
  }

  private static final class AviFunction extends VarArgFunction {
    private final String fullName;
    private final Set<ScriptEvent> events;
    private final Supplier<ScriptRun> runs;
    private final Body body;

    AviFunction(String fullName, Set<ScriptEvent> events, Supplier<ScriptRun> runs, Body body) {
      this.fullName = fullName;
      this.events = events;
      this.runs = runs;
      this.body = body;
    }

    @Override
    public Varargs invoke(Varargs values) {
      ScriptRun run = allowedRun();
      Args args = free(run.args);
      try {
        return body.call(run, args.of(fullName, values));
      } finally {
        args.busy = false;
      }
    }

    // LuaJ's VarArgFunction packs two or three arguments into a new Varargs: pass them as they are.
    // The interpreter calls call(...) where the script takes one result (or none): the body may
    // then skip building the others (Args.firstResultOnly)

    @Override
    public LuaValue call(LuaValue a) {
      return firstResult(1, a, NIL, NIL);
    }

    @Override
    public LuaValue call(LuaValue a, LuaValue b) {
      return firstResult(2, a, b, NIL);
    }

    @Override
    public LuaValue call(LuaValue a, LuaValue b, LuaValue c) {
      return firstResult(3, a, b, c);
    }

    private LuaValue firstResult(int count, LuaValue a, LuaValue b, LuaValue c) {
      ScriptRun run = allowedRun();
      Args args = free(run.args);
      try {
        return body.call(run, args.of(fullName, count, a, b, c)).arg1();
      } finally {
        args.busy = false;
      }
    }

    /**
     * The thread's shared arguments object, or a new one when a call is already using it: a
     * function reading a script's table may run a Lua metamethod that calls another function.
     */
    private static Args free(Args shared) {
      Args args = shared.busy ? new Args() : shared;
      args.busy = true;
      return args;
    }

    private ScriptRun allowedRun() {
      ScriptRun run = runs.get();
      if (!events.contains(run.event))
        throw new LuaError(
            fullName
                + " cannot be called in "
                + run.event
                + " (only in: "
                + events.stream().map(Enum::name).collect(Collectors.joining(", "))
                + ")");
      return run;
    }

    @Override
    public String tojstring() {
      return "function: " + fullName;
    }
  }
}
