package dev.limpet.dataplane.script;

import java.nio.charset.StandardCharsets;
import org.luaj.vm2.LuaString;

/**
 * Java strings to Lua strings and back, as LuaJ converts them (UTF-8), with one copy instead of
 * LuaJ's three when the text is ASCII, which request data nearly always is: LuaJ goes through a
 * {@code char[]} both ways. Any other text takes LuaJ's own conversion, so the result is the same.
 */
final class LuaText {
  private LuaText() {}

  /** {@code LuaValue.valueOf(s)}. */
  static LuaString lua(String s) {
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
