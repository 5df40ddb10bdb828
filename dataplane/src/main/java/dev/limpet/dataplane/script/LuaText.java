package dev.limpet.dataplane.script;

import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;

/**
 * Java strings to Lua strings and back, as LuaJ converts them (UTF-8), with one copy instead of
 * LuaJ's three when the text is ASCII, which request data nearly always is: LuaJ goes through a
 * {@code char[]} both ways. Any other text takes LuaJ's own conversion, so the result is the same.
 */
final class LuaText {
  /** Strings up to this long are remembered per thread (LuaJ's own cache stops there too). */
  private static final int RECENT_MAX_LENGTH = 32;

  private static final int RECENT_SLOTS = 256;

  /**
   * The conversions last made on this thread, both ways, each by slot of its source's hash: the
   * same few values (server addresses and names, pool names) come back on every request, a script's
   * constant argument (a header name) is the same Lua string on every run, and a value a function
   * gave a script (a header value) often comes back as the next function's argument. Strings of
   * both kinds are immutable values, so sharing one between requests shows nothing to a script. A
   * Lua string is found by identity, never by content: the cache holds it, so no other object can
   * take its place.
   */
  private static final FastThreadLocal<Recent> RECENT =
      new FastThreadLocal<>() {
        @Override
        protected Recent initialValue() {
          return new Recent();
        }
      };

  /** This thread's conversions, for a caller that keeps them for a run. */
  static Recent recent() {
    return RECENT.get();
  }

  /** One thread's recent conversions: use only on that thread. */
  static final class Recent {
    final String[] javaKeys = new String[RECENT_SLOTS];
    final LuaString[] luaOfJava = new LuaString[RECENT_SLOTS];
    final LuaString[] luaKeys = new LuaString[RECENT_SLOTS];
    final String[] javaOfLua = new String[RECENT_SLOTS];

    void remember(LuaString lua, String java) {
      int slot = lua.hashCode() & (RECENT_SLOTS - 1);
      luaKeys[slot] = lua;
      javaOfLua[slot] = java;
    }

    /** {@code LuaValue.valueOf(s)}. */
    LuaString lua(String s) {
      return s.length() > RECENT_MAX_LENGTH ? convert(s) : LuaText.lua(this, s);
    }

    /** {@code s.tojstring()}. */
    String java(LuaString s) {
      return s.m_length > RECENT_MAX_LENGTH ? convert(s) : LuaText.java(this, s);
    }
  }

  private LuaText() {}

  /** {@code LuaValue.valueOf(s)}. */
  static LuaString lua(String s) {
    return s.length() > RECENT_MAX_LENGTH ? convert(s) : lua(RECENT.get(), s);
  }

  private static LuaString lua(Recent recent, String s) {
    int slot = s.hashCode() & (RECENT_SLOTS - 1);
    if (s.equals(recent.javaKeys[slot])) {
      LuaString known = recent.luaOfJava[slot];
      recent.remember(known, s);
      return known;
    }
    LuaString converted = convert(s);
    recent.javaKeys[slot] = s;
    recent.luaOfJava[slot] = converted;
    recent.remember(converted, s);
    return converted;
  }

  private static LuaString convert(String s) {
    for (int i = 0, n = s.length(); i < n; i++)
      if (s.charAt(i) >= 0x80) return LuaString.valueOf(s);
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    return LuaString.valueUsing(bytes, 0, bytes.length);
  }

  /** {@code s.tojstring()}. */
  static String java(LuaString s) {
    return s.m_length > RECENT_MAX_LENGTH ? convert(s) : java(RECENT.get(), s);
  }

  private static String java(Recent recent, LuaString s) {
    int slot = s.hashCode() & (RECENT_SLOTS - 1);
    if (recent.luaKeys[slot] == s) return recent.javaOfLua[slot];
    String converted = convert(s);
    recent.remember(s, converted);
    return converted;
  }

  private static String convert(LuaString s) {
    byte[] bytes = s.m_bytes;
    for (int i = s.m_offset, end = s.m_offset + s.m_length; i < end; i++)
      if (bytes[i] < 0) return s.tojstring();
    return new String(bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
  }
}
