package dev.limpet.dataplane.script;

/**
 * Avi's {@code get_path_tokens}/{@code get_host_tokens}: tokens {@code start} to {@code end}
 * (1-based, inclusive) of a text split at a separator, empty tokens skipped, joined by the
 * separator. Pure; one pass over the text.
 */
final class TextTokens {
  private TextTokens() {}

  /**
   * The tokens {@code start..end} of {@code text} (an {@code end} past the last token means the
   * last), or null when there is none in that range.
   */
  static String range(String text, char separator, int start, int end) {
    StringBuilder out = null;
    int token = 0;
    int i = 0;
    while (i < text.length() && token < end) {
      while (i < text.length() && text.charAt(i) == separator) i++;
      if (i == text.length()) break;
      int tokenStart = i;
      while (i < text.length() && text.charAt(i) != separator) i++;
      if (++token < start) continue;
      if (out == null) out = new StringBuilder(text.length());
      else out.append(separator);
      out.append(text, tokenStart, i);
    }
    return out == null ? null : out.toString();
  }
}
