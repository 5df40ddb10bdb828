package dev.limpet.dataplane.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * The arguments of one {@code avi} call, with checks whose errors read like Lua's own.
 *
 * <p>The {@code avi} functions reuse one instance per thread ({@link #of}): it is valid only during
 * the call it was filled for, no function keeps it, and a call made while another uses it (from a
 * metamethod of a script's table the other reads) gets its own.
 */
final class Args {
  private String function;
  private Varargs values;
  // up to three arguments passed without a Varargs (LuaJ's call(a, b[, c])); values is then null
  private int n;
  private LuaValue a1 = LuaValue.NIL;
  private LuaValue a2 = LuaValue.NIL;
  private LuaValue a3 = LuaValue.NIL;

  /**
   * The running thread's string conversions, set by the sandbox for each run; null for an instance
   * made for one call, which reads the thread's.
   */
  LuaText.Recent text;

  private boolean firstResultOnly;

  /** True when the caller takes only the first result: a function may return only that. */
  boolean firstResultOnly() {
    return firstResultOnly;
  }

  /** True while a call uses this instance (see {@code Namespace}). */
  boolean busy;

  Args(String function, Varargs values) {
    this.function = function;
    this.values = values;
  }

  /** An instance to refill with {@link #of}. */
  Args() {}

  /** Refills this instance with a call's arguments. */
  Args of(String function, Varargs values) {
    this.function = function;
    this.values = values;
    a1 = a2 = a3 = LuaValue.NIL;
    firstResultOnly = false;
    return this;
  }

  /**
   * Refills this instance with a call's {@code n} (at most three) arguments, from a call whose
   * caller takes only the first result.
   */
  Args of(String function, int n, LuaValue a1, LuaValue a2, LuaValue a3) {
    this.function = function;
    this.values = null;
    this.firstResultOnly = true;
    this.n = n;
    this.a1 = a1;
    this.a2 = a2;
    this.a3 = a3;
    return this;
  }

  private LuaValue arg(int i) {
    if (values != null) return values.arg(i);
    return switch (i) {
      case 1 -> a1;
      case 2 -> a2;
      case 3 -> a3;
      default -> LuaValue.NIL;
    };
  }

  private int narg() {
    return values != null ? values.narg() : n;
  }

  /** The number of arguments up to the last that is not nil (Lua code often passes nil). */
  int count() {
    int n = narg();
    while (n > 0 && arg(n).isnil()) n--;
    return n;
  }

  /** The number of arguments, trailing nils included. */
  int size() {
    return narg();
  }

  LuaValue get(int i) {
    return arg(i);
  }

  boolean isNil(int i) {
    return arg(i).isnil();
  }

  /** A string argument; a number is taken as its text, as Lua's string functions do. */
  String string(int i) {
    LuaValue v = arg(i);
    if (v.type() == LuaValue.TSTRING) return java(v.strvalue());
    if (v.type() == LuaValue.TNUMBER) return v.tojstring();
    throw bad(i, "string expected, got " + v.typename());
  }

  private String java(LuaString s) {
    LuaText.Recent recent = text;
    return recent != null ? recent.java(s) : LuaText.java(s);
  }

  /** A string argument's raw bytes (Lua strings are byte strings); a number as its text. */
  byte[] bytes(int i) {
    LuaValue v = arg(i);
    if (v.type() != LuaValue.TSTRING && v.type() != LuaValue.TNUMBER)
      throw bad(i, "string expected, got " + v.typename());
    LuaString s = v.strvalue();
    byte[] out = new byte[s.length()];
    s.copyInto(0, out, 0, out.length);
    return out;
  }

  String optString(int i, String fallback) {
    return isNil(i) ? fallback : string(i);
  }

  /** A string, number or boolean argument as Lua's {@code tostring} writes it. */
  String text(int i) {
    LuaValue v = arg(i);
    return switch (v.type()) {
      case LuaValue.TSTRING -> java(v.strvalue());
      case LuaValue.TNUMBER, LuaValue.TBOOLEAN -> v.tojstring();
      default -> throw bad(i, "string, number or boolean expected, got " + v.typename());
    };
  }

  /** A whole number argument; a numeric string is accepted. */
  long whole(int i) {
    LuaValue v = arg(i);
    LuaValue n = v.tonumber();
    if (n.isnil()) throw bad(i, "number expected, got " + v.typename());
    double d = n.todouble();
    if (d != Math.rint(d) || Double.isInfinite(d)) throw bad(i, "whole number expected, got " + d);
    return (long) d;
  }

  int wholeInRange(int i, long min, long max) {
    long n = whole(i);
    if (n < min || n > max) throw bad(i, "must be " + min + ".." + max + ", got " + n);
    return (int) n;
  }

  /** True for a number or a string Lua would convert to one. */
  boolean isNumeric(int i) {
    LuaValue v = arg(i);
    return v.type() == LuaValue.TNUMBER || (v.type() == LuaValue.TSTRING && !v.tonumber().isnil());
  }

  /** A number as Lua prints it: {@code 1200}, not {@code 1200.0}. */
  static String number(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  LuaError bad(int i, String problem) {
    return new LuaError("bad argument #" + i + " to '" + function + "' (" + problem + ")");
  }

  LuaError error(String problem) {
    return new LuaError(function + ": " + problem);
  }
}
