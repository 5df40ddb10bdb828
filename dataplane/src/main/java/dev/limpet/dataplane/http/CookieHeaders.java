package dev.limpet.dataplane.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.ClientCookieEncoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The one reader of cookies in message heads, on Netty's lax decoders: DataScripts ({@code
 * avi.http.get_cookie} and friends), persistence profiles and cookie hashing all read a header
 * through it, so an odd header (duplicates, quotes, stray spaces, empty names) means the same thing
 * to each of them. Lax rather than strict because browsers send values strict RFC 6265 would drop
 * (spaces, commas); the proxy reads what it forwards. {@link CookieFinder} reads one name's values
 * the same way from a received field's bytes (its test holds it to this class on odd and random
 * headers).
 */
public final class CookieHeaders {
  private CookieHeaders() {}

  /** The cookies of a request, in order and with duplicates, from every {@code Cookie} header. */
  public static List<Cookie> ofRequest(HttpHeaders headers) {
    List<Cookie> out = new ArrayList<>();
    for (String header : headers.getAll(HttpHeaderNames.COOKIE))
      out.addAll(ServerCookieDecoder.LAX.decodeAll(header));
    return out;
  }

  /**
   * The values of every request cookie named {@code name} (case-sensitive), in order; a browser
   * sends several when paths or domains differ.
   */
  public static List<String> values(HttpHeaders headers, String name) {
    List<String> values = new ArrayList<>(1);
    for (Cookie cookie : ofRequest(headers))
      if (name.equals(cookie.name())) values.add(cookie.value());
    return values;
  }

  /**
   * Replaces the request's cookies with {@code cookies}, in order, in one {@code Cookie} header.
   */
  public static void setRequest(HttpHeaders headers, List<? extends Cookie> cookies) {
    if (cookies.isEmpty()) headers.remove(HttpHeaderNames.COOKIE);
    else headers.set(HttpHeaderNames.COOKIE, ClientCookieEncoder.LAX.encode(cookies));
  }

  /** The cookie one {@code Set-Cookie} header sets, or null when it is malformed. */
  public static Cookie ofSetCookie(String header) {
    return ClientCookieDecoder.LAX.decode(header);
  }

  /** The cookies a response sets, in order; malformed {@code Set-Cookie} headers are skipped. */
  public static List<Cookie> ofResponse(HttpHeaders headers) {
    List<Cookie> out = new ArrayList<>();
    for (String header : headers.getAll(HttpHeaderNames.SET_COOKIE)) {
      Cookie cookie = ofSetCookie(header);
      if (cookie != null) out.add(cookie);
    }
    return out;
  }

  /** Removes every {@code Set-Cookie} of a response that sets one of {@code names}. */
  public static void removeFromResponse(HttpHeaders headers, Set<String> names) {
    List<String> kept = new ArrayList<>();
    for (String header : headers.getAll(HttpHeaderNames.SET_COOKIE)) {
      Cookie cookie = ofSetCookie(header);
      if (cookie == null || !names.contains(cookie.name())) kept.add(header);
    }
    headers.remove(HttpHeaderNames.SET_COOKIE);
    for (String header : kept) headers.add(HttpHeaderNames.SET_COOKIE, header);
  }
}
