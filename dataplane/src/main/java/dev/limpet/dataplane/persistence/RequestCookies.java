package dev.limpet.dataplane.persistence;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.util.ArrayList;
import java.util.List;

/** Reads request cookies by name. */
final class RequestCookies {
  private RequestCookies() {}

  /**
   * The values of every cookie named {@code name} (case-sensitive) across all {@code Cookie}
   * headers, in order; a browser sends several when paths or domains differ.
   */
  static List<String> values(HttpHeaders headers, String name) {
    List<String> values = new ArrayList<>(1);
    for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
      for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(header)) {
        if (name.equals(cookie.name())) values.add(cookie.value());
      }
    }
    return values;
  }
}
