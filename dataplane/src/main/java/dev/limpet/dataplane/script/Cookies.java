package dev.limpet.dataplane.script;

import dev.limpet.dataplane.http.CookieHeaders;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cookies of message heads as name and value pairs, for {@code avi.http}: reading and editing
 * go through {@link CookieHeaders} (the codec persistence profiles use too); what is left here is
 * writing a script's {@code Set-Cookie} and checking what a script writes (strict: no separators or
 * control characters can be injected).
 */
final class Cookies {
  private Cookies() {}

  /** The cookies of a request, in order, from every {@code Cookie} header. */
  static List<Map.Entry<String, String>> ofRequest(HttpHeaders headers) {
    return pairs(CookieHeaders.ofRequest(headers));
  }

  /** Replaces the request's cookies with {@code cookies} in one {@code Cookie} header. */
  static void setRequest(HttpHeaders headers, List<Map.Entry<String, String>> cookies) {
    List<Cookie> out = new ArrayList<>(cookies.size());
    for (var c : cookies) out.add(new DefaultCookie(c.getKey(), c.getValue()));
    CookieHeaders.setRequest(headers, out);
  }

  /** The cookies a response sets, by name and value, in order. */
  static List<Map.Entry<String, String>> ofResponse(HttpHeaders headers) {
    return pairs(CookieHeaders.ofResponse(headers));
  }

  /** Removes every {@code Set-Cookie} of the response that sets one of {@code names}. */
  static void removeFromResponse(HttpHeaders headers, Set<String> names) {
    CookieHeaders.removeFromResponse(headers, names);
  }

  private static List<Map.Entry<String, String>> pairs(List<Cookie> cookies) {
    List<Map.Entry<String, String>> out = new ArrayList<>(cookies.size());
    for (Cookie c : cookies) out.add(Map.entry(c.name(), c.value()));
    return out;
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
}
