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

  private static final int RECENT_SLOTS = 64;

  /**
   * The Lua strings last made on this thread, by slot of their Java string's hash: the same few
   * values (server addresses and names, pool names) come back on every request. Lua strings are
   * immutable values, so sharing one between requests shows nothing to a script.
   */
  private static final FastThreadLocal<Object[]> RECENT =
      new FastThreadLocal<>() {
        @Override
        protected Object[] initialValue() {
          return new Object[2 * RECENT_SLOTS];
        }
      };

  private LuaText() {}

  /** {@code LuaValue.valueOf(s)}. */
  static LuaString lua(String s) {
    if (s.length() > RECENT_MAX_LENGTH) return convert(s);
    Object[] recent = RECENT.get();
    int slot = 2 * (s.hashCode() & (RECENT_SLOTS - 1));
    if (s.equals(recent[slot])) return (LuaString) recent[slot + 1];
    LuaString converted = convert(s);
    recent[slot] = s;
    recent[slot + 1] = converted;
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
    byte[] bytes = s.m_bytes;
    for (int i = s.m_offset, end = s.m_offset + s.m_length; i < end; i++)
      if (bytes[i] < 0) return s.tojstring();
    return new String(bytes, s.m_offset, s.m_length, StandardCharsets.ISO_8859_1);
  }
}
