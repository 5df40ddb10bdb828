package dev.limpet.dataplane.script;

import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Bounds the library calls that return many values or loop over their argument in Java: {@code
 * unpack} / {@code table.unpack} and {@code string.byte} return at most {@link
 * ScriptLimits#maxResults} values ({@code unpack({}, 1, 1e8)} made LuaJ allocate an array of 10^8
 * and throw OutOfMemoryError), and {@code os.date} takes a format of at most {@link
 * ScriptLimits#maxDateFormatBytes} (one call with a huge format ran far past the wall clock). Each
 * refuses before LuaJ's own function allocates, then calls it.
 */
final class BoundedCalls {
  private BoundedCalls() {}

  static LuaTable boundTable(LuaTable table) {
    table.rawset("unpack", new Unpack((LuaFunction) table.rawget("unpack")));
    return table;
  }

  static LuaTable boundString(LuaTable string) {
    string.rawset("byte", new Byte((LuaFunction) string.rawget("byte")));
    return string;
  }

  static LuaTable boundOs(LuaTable os) {
    os.rawset("date", new Date((LuaFunction) os.rawget("date")));
    return os;
  }

  /** {@code unpack(list [, i [, j]])}. */
  private static final class Unpack extends VarArgFunction {
    private final LuaFunction unpack;

    Unpack(LuaFunction unpack) {
      this.unpack = unpack;
    }

    @Override
    public Varargs invoke(Varargs args) {
      LuaTable list = args.checktable(1);
      long first = args.optlong(2, 1);
      long last = args.isnoneornil(3) ? list.length() : args.checklong(3);
      RunLimiter limiter = RunLimiter.active();
      long count = last - first + 1;
      limiter.checkResults("unpack", count);
      if (count > 0) limiter.charge(count);
      return unpack.invoke(args);
    }
  }

  /** {@code string.byte(s [, i [, j]])}. */
  private static final class Byte extends VarArgFunction {
    private final LuaFunction bytes;

    Byte(LuaFunction bytes) {
      this.bytes = bytes;
    }

    @Override
    public Varargs invoke(Varargs args) {
      LuaString s = args.checkstring(1);
      long first = relative(args.optlong(2, 1), s.length());
      long last = relative(args.optlong(3, first), s.length());
      first = Math.max(first, 1);
      last = Math.min(last, s.length());
      RunLimiter limiter = RunLimiter.active();
      long count = last - first + 1;
      limiter.checkResults("string.byte", count);
      if (count > 0) limiter.charge(count);
      return bytes.invoke(args);
    }

    private static long relative(long position, int length) {
      if (position >= 0) return position;
      if (-position > length) return 0;
      return length + position + 1;
    }
  }

  /** {@code os.date([format [, time]])}. */
  private static final class Date extends VarArgFunction {
    private final LuaFunction date;

    Date(LuaFunction date) {
      this.date = date;
    }

    @Override
    public Varargs invoke(Varargs args) {
      RunLimiter limiter = RunLimiter.active();
      if (args.isstring(1)) {
        int length = args.checkstring(1).length();
        int max = limiter.limits().maxDateFormatBytes();
        if (length > max)
          throw new ScriptAbort(
              ScriptAbort.Kind.MEMORY,
              "os.date format of " + length + " bytes, over the limit of " + max,
              null);
        limiter.charge(length);
      }
      return date.invoke(args);
    }
  }
}
