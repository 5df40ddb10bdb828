package dev.limpet.dataplane.script;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;

/**
 * One Lua string object per short name, shared by the keys of the library tables and the string
 * constants of compiled scripts: LuaJ compares table keys by identity first and byte by byte after,
 * so {@code avi.http.get_header} finds each of its three keys at the first comparison. Lua strings
 * are values; which of two equal ones a script holds shows nothing.
 */
final class InternedNames {
  /** Longer strings are data rather than names. */
  private static final int MAX_LENGTH = 40;

  /** Bounds what a long-running process whose scripts keep changing remembers. */
  private static final int MAX_NAMES = 20_000;

  private static final ConcurrentMap<LuaString, LuaString> NAMES = new ConcurrentHashMap<>();

  private InternedNames() {}

  /** The shared string equal to {@code s}, which becomes it when there is none yet. */
  static LuaString intern(LuaString s) {
    if (s.m_length > MAX_LENGTH) return s;
    LuaString known = NAMES.get(s);
    if (known != null) return known;
    if (NAMES.size() >= MAX_NAMES) return s;
    known = NAMES.putIfAbsent(s, s);
    return known != null ? known : s;
  }

  /** Replaces the string constants of {@code p} and of the functions it defines by shared ones. */
  static void internConstants(Prototype p) {
    LuaValue[] k = p.k;
    for (int i = 0; i < k.length; i++) if (k[i] instanceof LuaString s) k[i] = intern(s);
    for (Prototype nested : p.p) internConstants(nested);
  }
}
