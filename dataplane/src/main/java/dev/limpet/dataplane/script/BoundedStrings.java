package dev.limpet.dataplane.script;

import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Replaces the library functions that can build a huge string in one call, which no instruction
 * hook would interrupt: each refuses, before allocating, a result longer than {@link
 * ScriptLimits#maxStringBytes}, and charges the run's budget for what it builds. Concatenation with
 * {@code ..} is checked by {@link RunLimiter}, {@code gsub} by {@link PatternFunctions}.
 */
final class BoundedStrings {
  /**
   * Room counted for a {@code string.format} argument besides 4 bytes per byte of a string ({@code
   * %q} escapes a byte in at most 4): a number with a width and precision of 99 at most.
   */
  private static final int FORMATTED_VALUE_BYTES = 512;

  private static final String FORMAT_FLAGS = "-+ #0";

  private BoundedStrings() {}

  static LuaTable bound(LuaTable string) {
    string.rawset("rep", new Rep());
    string.rawset("format", new Format((LuaFunction) string.rawget("format")));
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

  /** Checks and charges a string of {@code bytes} about to be built. */
  static void building(String function, long bytes) {
    RunLimiter limiter = RunLimiter.active();
    limiter.checkString(function, bytes);
    limiter.chargeBytes(bytes);
  }

  /** Lua 5.2's {@code string.rep(s, n [, sep])} (LuaJ 3.0.1 lacks {@code sep}). */
  private static final class Rep extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      LuaString s = args.checkstring(1);
      int n = args.checkint(2);
      LuaString sep = args.optstring(3, LuaValue.EMPTYSTRING);
      if (n <= 0) return LuaValue.EMPTYSTRING;
      building("string.rep", (long) n * s.length() + (long) (n - 1) * sep.length());
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

  /**
   * {@code string.format}: Lua 5.2's rules for a conversion (at most two digits of width and of
   * precision, which LuaJ does not check), and the result is at most the format plus every
   * argument, quoted.
   */
  private static final class Format extends VarArgFunction {
    private final LuaFunction format;

    Format(LuaFunction format) {
      this.format = format;
    }

    @Override
    public Varargs invoke(Varargs args) {
      LuaString fmt = args.checkstring(1);
      checkConversions(fmt);
      long bound = fmt.length();
      for (int i = 2; i <= args.narg(); i++) {
        LuaValue v = args.arg(i);
        bound += (v.type() == TSTRING ? 4L * textLength(v) : 0) + FORMATTED_VALUE_BYTES;
      }
      building("string.format", bound);
      return format.invoke(args);
    }

    /** Lua 5.2's {@code scanformat}: flags, then at most two digits each of width and precision. */
    private static void checkConversions(LuaString fmt) {
      int n = fmt.length();
      for (int i = 0; i < n; i++) {
        if (fmt.luaByte(i) != '%') continue;
        if (++i < n && fmt.luaByte(i) == '%') continue;
        int flags = i;
        while (i < n && FORMAT_FLAGS.indexOf(fmt.luaByte(i)) >= 0) i++;
        if (i - flags > FORMAT_FLAGS.length())
          throw new org.luaj.vm2.LuaError("invalid format (repeated flags)");
        i = digits(fmt, i);
        if (i < n && fmt.luaByte(i) == '.') i = digits(fmt, i + 1);
      }
    }

    private static int digits(LuaString fmt, int i) {
      int start = i;
      while (i < fmt.length() && Character.isDigit(fmt.luaByte(i))) i++;
      if (i - start > 2)
        throw new org.luaj.vm2.LuaError("invalid format (width or precision too long)");
      return i;
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
      RunLimiter limiter = RunLimiter.active();
      long bytes = 0;
      for (long i = first; i <= last; i++) {
        LuaValue v = t.get((int) i);
        if (!v.isstring()) break; // LuaJ's concat reports the bad element
        bytes += textLength(v) + (i > first ? sep : 0);
        limiter.checkString("table.concat", bytes);
        // the loop itself is work the interpreter does not see
        limiter.charge(1);
      }
      limiter.chargeBytes(bytes);
      return concat.invoke(args);
    }
  }
}
