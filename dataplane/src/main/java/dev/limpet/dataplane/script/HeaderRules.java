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

  /**
   * A header name as Avi's header tables spell it, made an HTTP one: Lua keys cannot contain {@code
   * -} without brackets, so Avi scripts write {@code content_type} for {@code Content-Type}. A name
   * with an underscore has each underscore made a dash and each word capitalised; any other name is
   * kept as written.
   */
  static String aviHeaderName(String name) {
    if (name.indexOf('_') < 0) return name;
    StringBuilder http = new StringBuilder(name.length());
    boolean wordStart = true;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '_') {
        http.append('-');
        wordStart = true;
      } else {
        http.append(wordStart ? Character.toUpperCase(c) : c);
        wordStart = false;
      }
    }
    return http.toString();
  }
}
