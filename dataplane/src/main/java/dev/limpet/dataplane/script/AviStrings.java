package dev.limpet.dataplane.script;

import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Avi's additions to Lua's {@code string} library: {@code beginswith}, {@code endswith}, {@code
 * contains} and {@code split}. They compare bytes, as Lua's own functions do, are case-sensitive
 * and take plain text, never patterns. Stateless, so the one shared {@code string} table holds
 * them.
 */
final class AviStrings {
  private static final LuaString SPACE = LuaValue.valueOf(" ");

  private AviStrings() {}

  /** Adds the functions to {@code string} (before it is made read-only) and returns it. */
  static LuaTable addTo(LuaTable string) {
    string.rawset("beginswith", new Test("string.beginswith", Kind.BEGINS));
    string.rawset("endswith", new Test("string.endswith", Kind.ENDS));
    string.rawset("contains", new Test("string.contains", Kind.CONTAINS));
    string.rawset("split", new Split());
    return string;
  }

  private enum Kind {
    BEGINS,
    ENDS,
    CONTAINS
  }

  /**
   * {@code string.beginswith(s, prefix)} and the others: a boolean. A nil {@code s} is false (Avi's
   * own example tests {@code avi.http.get_header("Authorization")}, nil when the header is absent).
   */
  private static final class Test extends VarArgFunction {
    private final String name;
    private final Kind kind;

    Test(String name, Kind kind) {
      this.name = name;
      this.kind = kind;
    }

    @Override
    public Varargs invoke(Varargs args) {
      if (args.arg1().isnil()) return FALSE;
      Args a = new Args(name, args);
      LuaString s = text(a, 1);
      LuaString part = text(a, 2);
      return valueOf(
          switch (kind) {
            case BEGINS -> matchesAt(s, 0, part);
            case ENDS -> matchesAt(s, s.length() - part.length(), part);
            case CONTAINS -> PatternFunctions.plainFind(s, 0, part, RunLimiter.active()) >= 0;
          });
    }
  }

  /**
   * {@code string.split(s [, separator])}: an array of the pieces between separators, empty pieces
   * kept ({@code "a,,b"} gives three); the separator is plain text, a space by default.
   */
  private static final class Split extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      Args a = new Args("string.split", args);
      LuaString s = text(a, 1);
      LuaString separator = a.isNil(2) ? SPACE : text(a, 2);
      if (separator.length() == 0) throw a.bad(2, "separator must not be empty");
      RunLimiter limiter = RunLimiter.active();
      LuaTable pieces = new LuaTable();
      int n = 0;
      int from = 0;
      for (int at = PatternFunctions.plainFind(s, 0, separator, limiter);
          at >= 0;
          at = PatternFunctions.plainFind(s, from, separator, limiter)) {
        // each piece is a value the call returns: bounded as unpack's are
        limiter.checkResults("string.split", n + 1L);
        limiter.charge(1);
        pieces.rawset(++n, s.substring(from, at));
        from = at + separator.length();
      }
      pieces.rawset(++n, s.substring(from, s.length()));
      return pieces;
    }
  }

  /** True when {@code part} occurs in {@code s} at byte {@code at}. */
  private static boolean matchesAt(LuaString s, int at, LuaString part) {
    if (at < 0 || at + part.length() > s.length()) return false;
    for (int i = 0; i < part.length(); i++) if (s.luaByte(at + i) != part.luaByte(i)) return false;
    return true;
  }

  private static LuaString text(Args args, int i) {
    LuaValue v = args.get(i);
    if (v.type() == TSTRING || v.type() == TNUMBER) return v.strvalue();
    throw args.bad(i, "string expected, got " + v.typename());
  }

  private static final int TSTRING = LuaValue.TSTRING;
  private static final int TNUMBER = LuaValue.TNUMBER;
}
