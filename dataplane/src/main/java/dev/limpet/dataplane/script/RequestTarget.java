package dev.limpet.dataplane.script;

import dev.limpet.dataplane.http.QueryParameters;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaError;

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

  /**
   * The query's parameters as {@link QueryParameters} reads them, each value on its own in order (a
   * parameter without {@code =} has the value "").
   *
   * @throws LuaError naming the malformed escape, so the script fails visibly
   */
  List<Map.Entry<String, String>> parameters() {
    Map<String, List<String>> parameters;
    try {
      parameters = QueryParameters.of(query);
    } catch (IllegalArgumentException e) {
      throw new LuaError("the request's query cannot be decoded: " + e.getMessage());
    }
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (var p : parameters.entrySet())
      for (String value : p.getValue()) out.add(Map.entry(p.getKey(), value));
    return out;
  }

  /**
   * Percent-decodes a path as UTF-8; with {@code plusIsSpace} a {@code +} is a space. A malformed
   * escape is kept as it is rather than failing the script.
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
