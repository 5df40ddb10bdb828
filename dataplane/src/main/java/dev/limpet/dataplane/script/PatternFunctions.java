package dev.limpet.dataplane.script;

import org.luaj.vm2.Buffer;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * Lua 5.2's {@code string.find}, {@code match}, {@code gmatch} and {@code gsub} over {@link
 * LuaPattern}, replacing LuaJ's: every matcher step counts against the calling run's instruction
 * budget and wall clock, and a {@code gsub} result is refused as soon as it grows past the longest
 * allowed string. Behaviour otherwise follows Lua 5.2's {@code lstrlib.c}.
 */
final class PatternFunctions {
  private static final String SPECIALS = "^$*+?.([%-";

  private PatternFunctions() {}

  /** Puts the four functions into LuaJ's {@code string} table. */
  static LuaTable install(LuaTable string) {
    string.rawset("find", new Find(true));
    string.rawset("match", new Find(false));
    string.rawset("gmatch", new Gmatch());
    string.rawset("gsub", new Gsub());
    return string;
  }

  /** Lua's {@code posrelat}: a negative position counts from the end. */
  private static long relative(long position, int length) {
    if (position >= 0) return position;
    if (-position > length) return 0;
    return length + position + 1;
  }

  private static Varargs captures(LuaPattern pattern, boolean wholeIfNone, int s, int e) {
    int n = pattern.captureCount(wholeIfNone);
    LuaValue[] values = new LuaValue[n];
    for (int i = 0; i < n; i++) values[i] = pattern.capture(i, s, e);
    return LuaValue.varargsOf(values);
  }

  /**
   * {@code string.find(s, pattern [, init [, plain]])} and {@code string.match(s, pattern [,
   * init])}.
   */
  private static final class Find extends VarArgFunction {
    private final boolean find;

    Find(boolean find) {
      this.find = find;
    }

    @Override
    public Varargs invoke(Varargs args) {
      LuaString s = args.checkstring(1);
      LuaString p = args.checkstring(2);
      RunLimiter limiter = RunLimiter.active();
      long init = relative(args.optlong(3, 1), s.length());
      // LuaJ's rule, kept so that scripts see what they saw: a start past the end is the end
      init = Math.max(1, Math.min(init, s.length() + 1L));
      if (find && (args.arg(4).toboolean() || noSpecials(p))) {
        int at = plainFind(s, (int) init - 1, p, limiter);
        return at < 0 ? NIL : varargsOf(valueOf(at + 1), valueOf(at + p.length()));
      }
      LuaPattern pattern = new LuaPattern(s, p, limiter);
      boolean anchor = p.length() > 0 && p.luaByte(0) == '^';
      int start = anchor ? 1 : 0;
      int s1 = (int) init - 1;
      do {
        int end = pattern.match(s1, start);
        if (end != -1) {
          if (!find) return captures(pattern, true, s1, end);
          return varargsOf(valueOf(s1 + 1), valueOf(end), captures(pattern, false, s1, end));
        }
      } while (s1++ < s.length() && !anchor);
      return NIL;
    }
  }

  private static boolean noSpecials(LuaString p) {
    for (int i = 0; i < p.length(); i++) if (SPECIALS.indexOf(p.luaByte(i)) >= 0) return false;
    return true;
  }

  /** Lua's {@code lmemfind}, charging the bytes it compares (its worst case is quadratic). */
  static int plainFind(LuaString s, int from, LuaString p, RunLimiter limiter) {
    int n = p.length();
    if (n == 0) return from;
    long compared = 0;
    for (int at = from; at + n <= s.length(); at++) {
      int i = 0;
      while (i < n && s.luaByte(at + i) == p.luaByte(i)) i++;
      compared += i + 1;
      if (compared >= ScriptLimits.BYTES_PER_INSTRUCTION) {
        limiter.chargeBytes(compared);
        compared = 0;
      }
      if (i == n) return at;
    }
    return -1;
  }

  /** {@code string.gmatch(s, pattern)}: the iterator finds the budget of the run calling it. */
  private static final class Gmatch extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      return new Iterator(args.checkstring(1), args.checkstring(2));
    }
  }

  private static final class Iterator extends VarArgFunction {
    private final LuaString subject;
    private final LuaString pattern;
    private int position;

    Iterator(LuaString subject, LuaString pattern) {
      this.subject = subject;
      this.pattern = pattern;
    }

    @Override
    public Varargs invoke(Varargs args) {
      LuaPattern matcher = new LuaPattern(subject, pattern, RunLimiter.active());
      for (int src = position; src <= subject.length(); src++) {
        int end = matcher.match(src, 0);
        if (end != -1) {
          position = end == src ? end + 1 : end;
          return captures(matcher, true, src, end);
        }
      }
      position = subject.length() + 1;
      return NIL;
    }
  }

  /** {@code string.gsub(s, pattern, repl [, n])}. */
  private static final class Gsub extends VarArgFunction {
    @Override
    public Varargs invoke(Varargs args) {
      LuaString src = args.checkstring(1);
      LuaString p = args.checkstring(2);
      LuaValue repl = args.arg(3);
      int type = repl.type();
      if (type != TNUMBER && type != TSTRING && type != TFUNCTION && type != TTABLE)
        argerror(3, "string/function/table expected");
      long maxMatches = args.optlong(4, src.length() + 1L);
      RunLimiter limiter = RunLimiter.active();
      LuaPattern pattern = new LuaPattern(src, p, limiter);
      boolean anchor = p.length() > 0 && p.luaByte(0) == '^';
      int start = anchor ? 1 : 0;
      Output out = new Output(limiter);
      int s = 0;
      long n = 0;
      while (n < maxMatches) {
        int e = pattern.match(s, start);
        if (e != -1) {
          n++;
          out.append(replacement(pattern, repl, src, s, e));
        }
        if (e != -1 && e > s) s = e;
        else if (s < src.length()) out.append(src.luaByte(s++));
        else break;
        if (anchor) break;
      }
      out.append(src.substring(s, src.length()));
      return varargsOf(out.result(), valueOf(n));
    }

    private static LuaString replacement(
        LuaPattern pattern, LuaValue repl, LuaString src, int s, int e) {
      LuaValue value;
      switch (repl.type()) {
        case TFUNCTION -> value = repl.invoke(captures(pattern, true, s, e)).arg1();
        case TTABLE -> value = repl.get(pattern.capture(0, s, e));
        default -> {
          return expand(pattern, repl.checkstring(), s, e);
        }
      }
      if (!value.toboolean()) return src.substring(s, e);
      if (!value.isstring())
        throw new LuaError("invalid replacement value (a " + value.typename() + ")");
      return value.strvalue();
    }

    /** Lua's {@code add_s}: a string replacement with {@code %0}-{@code %9} and {@code %%}. */
    private static LuaString expand(LuaPattern pattern, LuaString news, int s, int e) {
      if (news.indexOf((byte) '%', 0) < 0) return news;
      Buffer b = new Buffer(news.length());
      for (int i = 0; i < news.length(); i++) {
        int c = news.luaByte(i);
        if (c != '%') {
          b.append((byte) c);
          continue;
        }
        int d = ++i < news.length() ? news.luaByte(i) : 0;
        if (d == '0') b.append(pattern.whole(s, e));
        else if (d >= '1' && d <= '9') {
          LuaValue capture;
          try {
            capture = pattern.capture(d - '1', s, e);
          } catch (LuaError error) {
            throw new LuaError("invalid capture index %" + (d - '0') + " in replacement string");
          }
          b.append(capture.tostring().strvalue());
        } else if (d == '%') b.append((byte) '%');
        else throw new LuaError("invalid use of '%' in replacement string");
      }
      return b.tostring().strvalue();
    }
  }

  /** A result that stops at the longest allowed string, charging what it copies. */
  private static final class Output {
    private final RunLimiter limiter;
    private final Buffer buffer = new Buffer();
    private long length;

    Output(RunLimiter limiter) {
      this.limiter = limiter;
    }

    void append(LuaString part) {
      length += part.length();
      limiter.checkString("string.gsub", length);
      if (part.length() > ScriptLimits.BYTES_PER_INSTRUCTION) limiter.chargeBytes(part.length());
      buffer.append(part);
    }

    void append(int b) {
      limiter.checkString("string.gsub", ++length);
      buffer.append((byte) b);
    }

    LuaValue result() {
      return buffer.tostring();
    }
  }
}
