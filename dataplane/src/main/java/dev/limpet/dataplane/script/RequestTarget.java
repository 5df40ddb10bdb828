package dev.limpet.dataplane.script;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A request target split into path and query, with the decoding {@code avi.http} applies. Pure.
 *
 * @param prefix the scheme and authority of an absolute-form target, else empty
 * @param query the text after {@code ?}, or null when there is no {@code ?}
 */
record RequestTarget(String prefix, String path, String query) {

  static RequestTarget parse(String uri) {
    String prefix = "";
    int scheme = uri.indexOf("://");
    if (!uri.startsWith("/") && scheme > 0) {
      int pathStart = uri.indexOf('/', scheme + 3);
      int queryStart = uri.indexOf('?', scheme + 3);
      int end = pathStart < 0 ? (queryStart < 0 ? uri.length() : queryStart) : pathStart;
      if (queryStart >= 0 && queryStart < end) end = queryStart;
      prefix = uri.substring(0, end);
      uri = uri.substring(end);
      if (uri.isEmpty() || uri.charAt(0) == '?') uri = "/" + uri;
    }
    int q = uri.indexOf('?');
    return q < 0
        ? new RequestTarget(prefix, uri, null)
        : new RequestTarget(prefix, uri.substring(0, q), uri.substring(q + 1));
  }

  /** Path and query as sent ({@code /a/b?x=1}). */
  String pathAndQuery() {
    return query == null ? path : path + "?" + query;
  }

  String uri() {
    return prefix + pathAndQuery();
  }

  RequestTarget withPath(String newPath) {
    return new RequestTarget(prefix, newPath, query);
  }

  RequestTarget withQuery(String newQuery) {
    return new RequestTarget(
        prefix, path, newQuery == null || newQuery.isEmpty() ? null : newQuery);
  }

  /** The query's parameters in order; a parameter without {@code =} has the value "". */
  List<Map.Entry<String, String>> parameters() {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    if (query == null || query.isEmpty()) return out;
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.add(Map.entry(decode(name, true), decode(value, true)));
    }
    return out;
  }

  /**
   * Percent-decodes {@code text} as UTF-8; with {@code plusIsSpace} (query components) a {@code +}
   * is a space. A malformed escape is kept as it is rather than failing the script.
   */
  static String decode(String text, boolean plusIsSpace) {
    if (text.indexOf('%') < 0 && !(plusIsSpace && text.indexOf('+') >= 0)) return text;
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      byte b = bytes[i];
      if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
        out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
        i += 2;
      } else out.write(plusIsSpace && b == '+' ? ' ' : b);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte b) {
    return Character.digit((char) b, 16);
  }
}
