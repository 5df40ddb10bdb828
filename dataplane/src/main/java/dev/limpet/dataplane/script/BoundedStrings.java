package dev.limpet.dataplane.script;

import dev.limpet.dataplane.script.ScriptAbort.Kind;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Replaces the library functions that can build a huge string in one call, which no instruction
 * hook would interrupt: each refuses, before allocating, a result longer than {@link
 * ScriptLimits#MAX_STRING_BYTES}. Concatenation with {@code ..} is checked by {@link RunLimiter}.
 */
final class BoundedStrings {
  private static final long MAX = ScriptLimits.MAX_STRING_BYTES;

  /** Room counted for a non-string {@code string.format} argument (a number's text is shorter). */
  private static final int FORMATTED_VALUE_BYTES = 128;

  private BoundedStrings() {}

  static LuaTable bound(LuaTable string) {
    string.rawset("rep", new Rep());
    string.rawset("format", new Format((LuaFunction) string.rawget("format")));
    string.rawset("gsub", new Gsub((LuaFunction) string.rawget("gsub")));
    string.rawset("dump", LuaValue.NIL);
    return string;
  }

  static LuaTable boundTable(LuaTable table) {
    table.rawset("concat", new Concat((LuaFunction) table.rawget("concat")));
    return table;
  }

  /** The bytes {@code v} adds to a string it is concatenated into; 0 for what cannot be. */
  static long textLength(LuaValue v) {
    return switch (v.type()) {
      case LuaValue.TSTRING -> v.checkstring().length();
      case LuaValue.TNUMBER -> v.tojstring().length();
      default -> 0;
    };
  }

  static void check(String function, long bytes) {
    if (bytes > MAX)
      throw new ScriptAbort(
          Kind.MEMORY,
          function + " would build a string of " + bytes + " bytes, over the limit of " + MAX,
          null);
  }

  /** Lua 5.2's {@code string.rep(s, n [, sep])} (LuaJ 3.0.1 lacks {@code sep}). */
  private static final class Rep extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      LuaString s = args.checkstring(1);
      int n = args.checkint(2);
      LuaString sep = args.optstring(3, LuaValue.EMPTYSTRING);
      if (n <= 0) return LuaValue.EMPTYSTRING;
      check("string.rep", (long) n * s.length() + (long) (n - 1) * sep.length());
      byte[] out = new byte[n * s.length() + (n - 1) * sep.length()];
      int at = 0;
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          sep.copyInto(0, out, at, sep.length());
          at += sep.length();
        }
        s.copyInto(0, out, at, s.length());
        at += s.length();
      }
      return LuaString.valueUsing(out);
    }
  }

  /** {@code string.format}: the result is at most the format plus every argument, quoted. */
  private static final class Format extends VarArgFunction {
    private final LuaFunction format;

    Format(LuaFunction format) {
      this.format = format;
    }

    @Override
    public Varargs invoke(Varargs args) {
      long bound = textLength(args.arg1());
      for (int i = 2; i <= args.narg(); i++) {
        LuaValue v = args.arg(i);
        // %q escapes a byte in at most 4
        bound += v.type() == TSTRING ? 4L * textLength(v) : FORMATTED_VALUE_BYTES;
      }
      check("string.format", bound);
      return format.invoke(args);
    }
  }

  /**
   * {@code string.gsub}. Matches never overlap, so a capture reference ({@code %0}-{@code %9}) in a
   * string replacement adds at most the subject's length; each match adds the replacement's literal
   * text. Table and function replacements are counted as they are produced.
   */
  private static final class Gsub extends VarArgFunction {
    private final LuaFunction gsub;

    Gsub(LuaFunction gsub) {
      this.gsub = gsub;
    }

    @Override
    public Varargs invoke(Varargs args) {
      LuaString subject = args.checkstring(1);
      LuaValue repl = args.arg(3);
      long matches = subject.length() + 1L;
      if (args.arg(4).isnumber()) matches = Math.min(matches, Math.max(0, args.arg(4).tolong()));
      if (repl.type() == TSTRING || repl.type() == TNUMBER) {
        LuaString r = repl.checkstring();
        int captures = 0;
        for (int i = 0; i + 1 < r.length(); i++)
          if (r.luaByte(i) == '%' && Character.isDigit(r.luaByte(i + 1))) {
            captures++;
            i++;
          }
        check("string.gsub", subject.length() * (1L + captures) + matches * r.length());
        return gsub.invoke(args);
      }
      Budget budget = new Budget(subject.length());
      LuaValue counted =
          repl.istable()
              ? new CountingTable((LuaTable) repl, budget)
              : repl.isfunction() ? new CountingFunction((LuaFunction) repl, budget) : repl;
      return gsub.invoke(
          LuaValue.varargsOf(new LuaValue[] {args.arg1(), args.arg(2), counted}, args.subargs(4)));
    }
  }

  /** Bytes a gsub result may still grow by. */
  private static final class Budget {
    private long used;

    Budget(long subjectLength) {
      used = subjectLength;
    }

    LuaValue count(LuaValue replacement) {
      used += textLength(replacement);
      check("string.gsub", used);
      return replacement;
    }
  }

  private static final class CountingTable extends LuaTable {
    private final LuaTable table;
    private final Budget budget;

    CountingTable(LuaTable table, Budget budget) {
      this.table = table;
      this.budget = budget;
    }

    @Override
    public LuaValue get(LuaValue key) {
      return budget.count(table.get(key));
    }
  }

  private static final class CountingFunction extends VarArgFunction {
    private final LuaFunction function;
    private final Budget budget;

    CountingFunction(LuaFunction function, Budget budget) {
      this.function = function;
      this.budget = budget;
    }

    @Override
    public Varargs invoke(Varargs args) {
      Varargs result = function.invoke(args);
      budget.count(result.arg1());
      return result;
    }
  }

  /** {@code table.concat(t [, sep [, i [, j]]])}: sums the parts before joining them. */
  private static final class Concat extends VarArgFunction {
    private final LuaFunction concat;

    Concat(LuaFunction concat) {
      this.concat = concat;
    }

    @Override
    public Varargs invoke(Varargs args) {
      LuaTable t = args.checktable(1);
      long sep = args.optstring(2, LuaValue.EMPTYSTRING).length();
      int first = args.optint(3, 1);
      int last = args.isnoneornil(4) ? t.length() : args.checkint(4);
      long bytes = 0;
      for (long i = first; i <= last; i++) {
        LuaValue v = t.get((int) i);
        if (!v.isstring()) break; // LuaJ's concat reports the bad element
        bytes += textLength(v) + (i > first ? sep : 0);
        check("table.concat", bytes);
      }
      return concat.invoke(args);
    }
  }
}
