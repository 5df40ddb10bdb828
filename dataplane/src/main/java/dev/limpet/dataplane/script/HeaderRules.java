package dev.limpet.dataplane.script;

/** What a script may write into a header or request line: nothing that splits or smuggles. */
final class HeaderRules {
  private static final String TOKEN_SPECIALS = "!#$%&'*+-.^_`|~";

  private HeaderRules() {}

  static boolean isTokenChar(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || TOKEN_SPECIALS.indexOf(c) >= 0;
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) if (!isTokenChar(s.charAt(i))) return false;
    return true;
  }

  /** A header value: no CR, LF or NUL. */
  static boolean isFieldValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r' || c == '\n' || c == 0) return false;
    }
    return true;
  }

  /** A request target: visible ASCII only (no space, no control characters). */
  static boolean isTarget(String s) {
    if (s.isEmpty()) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= ' ' || c >= 0x7f) return false;
    }
    return true;
  }
}
