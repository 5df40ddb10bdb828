package dev.limpet.dataplane.persistence;

import dev.limpet.contract.PersistenceProfileConfig.HttpCookie;
import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.http.CookieFinder;
import dev.limpet.dataplane.http.CookieHeaders;
import dev.limpet.dataplane.http.FieldBytes;
import dev.limpet.dataplane.persistence.CookieCodec.DecodedCookie;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.CookieHeaderNames.SameSite;
import io.netty.handler.codec.http.cookie.DefaultCookie;
import io.netty.handler.codec.http.cookie.ServerCookieEncoder;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * Pins a client with a cookie the proxy inserts: the value seals the server key and its creation
 * time ({@link CookieCodec}), so the proxy keeps no state and every replica that holds the keys
 * reads it. The profile's timeout is absolute, counted from the creation time in the value. A
 * received {@code Cookie} field is read as bytes ({@link CookieFinder}), without a {@code String}
 * per cookie; the responses of one second from one server share a value ({@link IssuedCookies}).
 */
public final class HttpCookiePersistence implements Persistence {
  private final HttpCookie config;
  private final CookieCodec codec;
  private final long timeoutMillis;
  private final boolean forceSecure;
  private final OnServerDown onServerDown;
  private final LongSupplier clock;
  private final HttpCookiePersistence secured;
  private final CookieFinder finder;
  private final IssuedCookies issued = new IssuedCookies();

  /**
   * @param timeoutMillis absolute lifetime of a cookie value, 0 = none
   * @throws IllegalArgumentException when the path or domain cannot go into a cookie
   */
  HttpCookiePersistence(
      HttpCookie config,
      CookieCodec codec,
      long timeoutMillis,
      boolean forceSecure,
      OnServerDown onServerDown,
      LongSupplier clock) {
    this.config = config;
    this.codec = codec;
    this.timeoutMillis = timeoutMillis;
    this.forceSecure = forceSecure;
    this.onServerDown = onServerDown;
    this.clock = clock;
    this.finder = new CookieFinder(config.name());
    cookie("probe"); // fail now, not on the first response, on a path or domain Netty rejects
    this.secured =
        forceSecure || config.secure()
            ? this
            : new HttpCookiePersistence(config, codec, timeoutMillis, true, onServerDown, clock);
  }

  /** The same profile, but every cookie it sets is {@code Secure}. */
  @Override
  public HttpCookiePersistence onTlsListener() {
    return secured;
  }

  @Override
  public String pinnedServer(ClientRequest request) {
    long now = clock.getAsLong();
    HttpHeaders headers = request.head().headers();
    if (headers instanceof FieldBytes fields && !fields.added(HttpHeaderNames.COOKIE))
      return pinnedServer(fields, now);
    for (String value : CookieHeaders.values(headers, config.name())) {
      Optional<DecodedCookie> cookie = codec.decode(value);
      if (cookie.isPresent() && fresh(cookie.get(), now)) return cookie.get().serverKey();
    }
    return null;
  }

  /** As {@link #pinnedServer(ClientRequest)}, over the received bytes of every Cookie field. */
  private String pinnedServer(FieldBytes fields, long now) {
    byte[] b = fields.bytes();
    for (int f = fields.next(HttpHeaderNames.COOKIE, 0);
        f >= 0;
        f = fields.next(HttpHeaderNames.COOKIE, f + 1)) {
      int start = fields.valueStart(f);
      int end = fields.valueEnd(f);
      for (long span = finder.next(b, start, end, start);
          span >= 0;
          span = finder.next(b, start, end, CookieFinder.resumeAt(span))) {
        Optional<DecodedCookie> cookie =
            codec.decode(b, CookieFinder.valueStart(b, span), CookieFinder.valueEnd(b, span));
        if (cookie.isPresent() && fresh(cookie.get(), now)) return cookie.get().serverKey();
      }
    }
    return null;
  }

  /** Nothing to record: the cookie set in {@link #onResponse} is the record. */
  @Override
  public void remember(ClientRequest request, String serverKey) {}

  /** Sets a new cookie unless the request's valid cookie already names the server that answered. */
  @Override
  public void onResponse(
      ClientRequest request, String pinnedKey, String servedKey, HttpHeaders responseHeaders) {
    if (servedKey == null || servedKey.equals(pinnedKey)) return;
    long second = clock.getAsLong() / 1000;
    String header = issued.get(servedKey, second);
    if (header == null) {
      header = ServerCookieEncoder.STRICT.encode(cookie(codec.encode(servedKey, second)));
      issued.put(servedKey, second, header);
    }
    responseHeaders.add(HttpHeaderNames.SET_COOKIE, header);
  }

  @Override
  public OnServerDown onServerDown() {
    return onServerDown;
  }

  private boolean fresh(DecodedCookie cookie, long now) {
    return timeoutMillis == 0 || now - cookie.createdAtEpochSeconds() * 1000 < timeoutMillis;
  }

  private DefaultCookie cookie(String value) {
    DefaultCookie cookie = new DefaultCookie(config.name(), value);
    cookie.setPath(config.path());
    if (config.domain() != null) cookie.setDomain(config.domain());
    if (config.maxAgeSeconds() > 0) cookie.setMaxAge(config.maxAgeSeconds());
    cookie.setSecure(forceSecure || config.secure());
    cookie.setHttpOnly(config.httpOnly());
    if (config.sameSite() != null) cookie.setSameSite(SameSite.valueOf(config.sameSite().name()));
    cookie.setPartitioned(Boolean.TRUE.equals(config.partitioned()));
    return cookie;
  }
}
