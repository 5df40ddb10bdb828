package dev.limpet.dataplane.persistence;

import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.http.CookieFinder;
import dev.limpet.dataplane.http.CookieHeaders;
import dev.limpet.dataplane.http.QueryParameters;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Pins a client by the application's own session cookie (e.g. {@code JSESSIONID}): learns session
 * id → server from the responses' {@code Set-Cookie}, and finds the id in a request's cookie or,
 * without one, in the URI as a query parameter or a {@code ;jsessionid=} path parameter (names
 * case-insensitive there). An entry lives for the timeout after its last use.
 */
public final class AppCookiePersistence extends TablePersistence {
  private final String cookieName;
  private final CookieFinder finder;

  AppCookiePersistence(
      PersistenceTable table,
      String cookieName,
      long timeoutMillis,
      OnServerDown onServerDown,
      LongSupplier clock) {
    super(table, timeoutMillis, onServerDown, clock);
    this.cookieName = cookieName;
    this.finder = new CookieFinder(cookieName);
  }

  @Override
  public String pinnedServer(ClientRequest request) {
    for (String sessionId : sessionIds(request)) {
      PersistenceTable.Entry entry = table.lookup(sessionId);
      if (entry != null) {
        table.extend(sessionId, expiry());
        return entry.value();
      }
    }
    return null;
  }

  /**
   * Nothing: sessions are learned only from {@code Set-Cookie}, otherwise any client could fill the
   * table with made-up ids. A session that was unknown at lookup but known now arrived from a peer
   * meanwhile: overwriting it would move the session.
   */
  @Override
  public void remember(ClientRequest request, String serverKey) {}

  /**
   * Moves the request's sessions that were pinned to {@code fromKey} (now down) to {@code toKey}.
   */
  @Override
  public void repin(ClientRequest request, String fromKey, String toKey) {
    long expiresAt = expiry();
    for (String sessionId : sessionIds(request)) {
      PersistenceTable.Entry entry = table.lookup(sessionId);
      if (entry != null && entry.value().equals(fromKey)) table.put(sessionId, toKey, expiresAt);
    }
  }

  /**
   * Learns every session the response sets; a {@code Set-Cookie} that deletes the cookie forgets
   * its value and the sessions the request carried.
   */
  @Override
  public void onResponse(
      ClientRequest request, String pinnedKey, String servedKey, HttpHeaders responseHeaders) {
    if (servedKey == null) return;
    for (String header : responseHeaders.getAll(HttpHeaderNames.SET_COOKIE)) {
      Cookie cookie = CookieHeaders.ofSetCookie(header);
      if (cookie == null || !cookieName.equals(cookie.name())) continue;
      // Netty turns Max-Age=0, a negative Max-Age and an Expires in the past into maxAge <= 0
      if (cookie.maxAge() != Long.MIN_VALUE && cookie.maxAge() <= 0) {
        if (!cookie.value().isEmpty()) table.remove(cookie.value());
        sessionIds(request).forEach(table::remove);
      } else if (!cookie.value().isEmpty()) {
        table.put(cookie.value(), servedKey, expiry());
      }
    }
  }

  /** The session ids a request carries: its cookies, else the URI's parameters. */
  private List<String> sessionIds(ClientRequest request) {
    List<String> ids = finder.values(request.head().headers());
    return ids.isEmpty() ? uriSessionIds(request.head().uri()) : ids;
  }

  private List<String> uriSessionIds(String uri) {
    List<String> ids = new ArrayList<>(1);
    try {
      for (Map.Entry<String, List<String>> parameter : QueryParameters.ofUri(uri).entrySet()) {
        if (parameter.getKey().equalsIgnoreCase(cookieName)) ids.addAll(parameter.getValue());
      }
    } catch (IllegalArgumentException e) {
      // a malformed escape in the query: no session id there
    }
    int query = uri.indexOf('?');
    String pathParameter = pathParameter(query < 0 ? uri : uri.substring(0, query));
    if (pathParameter != null) ids.add(pathParameter);
    ids.removeIf(String::isEmpty);
    return ids;
  }

  /** The value of {@code ;<name>=value} in a raw path (up to the next {@code ;} or {@code /}). */
  private String pathParameter(String rawPath) {
    int n = cookieName.length();
    for (int i = rawPath.indexOf(';'); i >= 0; i = rawPath.indexOf(';', i + 1)) {
      int equals = i + 1 + n;
      if (equals < rawPath.length()
          && rawPath.charAt(equals) == '='
          && rawPath.regionMatches(true, i + 1, cookieName, 0, n)) {
        int end = equals + 1;
        while (end < rawPath.length() && rawPath.charAt(end) != ';' && rawPath.charAt(end) != '/')
          end++;
        return rawPath.substring(equals + 1, end);
      }
    }
    return null;
  }
}
