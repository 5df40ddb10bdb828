package dev.limpet.dataplane.script;

import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads and edits cookies in message headers: the {@code Cookie} header of a request and the {@code
 * Set-Cookie} headers of a response. Lenient when reading (a malformed pair is skipped), strict
 * when writing (no separators or control characters can be injected).
 */
final class Cookies {
  private Cookies() {}

  /** The cookies of a request, in order, from every {@code Cookie} header. */
  static List<Map.Entry<String, String>> ofRequest(HttpHeaders headers) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String header : headers.getAll(HttpHeaderNames.COOKIE))
      for (String pair : header.split(";")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) continue;
        String name = pair.substring(0, eq).trim();
        if (!name.isEmpty()) out.add(Map.entry(name, unquote(pair.substring(eq + 1).trim())));
      }
    return out;
  }

  /** Replaces the request's cookies with {@code cookies} in one {@code Cookie} header. */
  static void setRequest(HttpHeaders headers, List<Map.Entry<String, String>> cookies) {
    if (cookies.isEmpty()) {
      headers.remove(HttpHeaderNames.COOKIE);
      return;
    }
    StringBuilder out = new StringBuilder();
    for (var c : cookies) {
      if (out.length() > 0) out.append("; ");
      out.append(c.getKey()).append('=').append(c.getValue());
    }
    headers.set(HttpHeaderNames.COOKIE, out.toString());
  }

  /** The cookies a response sets, by name and value, in order. */
  static List<Map.Entry<String, String>> ofResponse(HttpHeaders headers) {
    List<Map.Entry<String, String>> out = new ArrayList<>();
    for (String header : headers.getAll(HttpHeaderNames.SET_COOKIE)) {
      int end = header.indexOf(';');
      String pair = end < 0 ? header : header.substring(0, end);
      int eq = pair.indexOf('=');
      if (eq > 0)
        out.add(Map.entry(pair.substring(0, eq).trim(), unquote(pair.substring(eq + 1).trim())));
    }
    return out;
  }

  /** Removes every {@code Set-Cookie} of the response that sets one of {@code names}. */
  static void removeFromResponse(HttpHeaders headers, Set<String> names) {
    List<String> kept = new ArrayList<>();
    for (String header : headers.getAll(HttpHeaderNames.SET_COOKIE)) {
      int eq = header.indexOf('=');
      String name = eq < 0 ? header.trim() : header.substring(0, eq).trim();
      if (!names.contains(name)) kept.add(header);
    }
    headers.remove(HttpHeaderNames.SET_COOKIE);
    for (String header : kept) headers.add(HttpHeaderNames.SET_COOKIE, header);
  }

  /** The attributes of a {@code Set-Cookie}; null or 0 omits one. */
  record SetCookie(
      String name,
      String value,
      String path,
      String domain,
      long expiresEpochSeconds,
      long maxAgeSeconds,
      boolean httpOnly,
      boolean secure,
      String sameSite) {

    String header() {
      StringBuilder out = new StringBuilder(name).append('=').append(value);
      if (path != null) out.append("; Path=").append(path);
      if (domain != null) out.append("; Domain=").append(domain);
      if (expiresEpochSeconds != 0)
        out.append("; Expires=").append(DateFormatter.format(new Date(expiresEpochSeconds * 1000)));
      if (maxAgeSeconds != 0) out.append("; Max-Age=").append(maxAgeSeconds);
      if (httpOnly) out.append("; HttpOnly");
      if (secure) out.append("; Secure");
      if (sameSite != null) out.append("; SameSite=").append(sameSite);
      return out.toString();
    }
  }

  /** Why {@code name} cannot be a cookie name, or null if it can (an RFC 9110 token). */
  static String nameProblem(String name) {
    if (name.isEmpty()) return "cookie name must not be empty";
    for (int i = 0; i < name.length(); i++)
      if (!HeaderRules.isTokenChar(name.charAt(i)))
        return "cookie name '" + name + "' contains '" + name.charAt(i) + "'";
    return null;
  }

  /**
   * Why {@code value} cannot be a cookie value or attribute, or null if it can: no control
   * characters, whitespace, {@code ;} or {@code ,}.
   */
  static String valueProblem(String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c <= ' ' || c == ';' || c == ',' || c == 0x7f)
        return "cookie value or attribute '"
            + value
            + "' contains a separator or control character";
    }
    return null;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }
}
