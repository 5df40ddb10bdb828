package dev.limpet.dataplane.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PersistenceProfileConfig.AppCookie;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import dev.limpet.contract.PoolConfig;
import dev.limpet.dataplane.http.ClientRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AppCookiePersistenceTest {
  private static final long MINUTE = 60_000;
  private static final String SERVER = "10.0.0.1:80";

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final TableRegistry registry = new TableRegistry(1_000, now::get);
  private final Persistence p = profile(null);

  /**
   * The request the tests send; {@link AppCookiePersistenceScannedTest} sends its fields as bytes.
   */
  ClientRequest request(String uri, String... headers) {
    return TestRequests.request(uri, headers);
  }

  private Persistence profile(String cookieName) {
    var config =
        new PersistenceProfileConfig("app", Type.AppCookie, null, new AppCookie(cookieName, null));
    PoolConfig pool = new PoolConfig("web", null, null, null, "app", 0, 0);
    return PersistenceFactory.create(config, pool, registry, CookieKeySet.random(), now::get);
  }

  private void respond(Persistence profile, ClientRequest request, String... setCookies) {
    HttpHeaders response = new DefaultHttpHeaders();
    for (String setCookie : setCookies) response.add(HttpHeaderNames.SET_COOKIE, setCookie);
    profile.onResponse(request, null, SERVER, response);
  }

  @Test
  void learnsTheSessionFromSetCookieAndFindsItInTheCookie() {
    assertThat(p.pinnedServer(request("/", "Cookie", "JSESSIONID=abc"))).isNull();
    respond(p, request("/login"), "theme=dark; Path=/", "JSESSIONID=abc; Path=/; HttpOnly");
    assertThat(p.pinnedServer(request("/", "Cookie", "theme=dark; JSESSIONID=abc")))
        .isEqualTo(SERVER);
    assertThat(p.pinnedServer(request("/", "Cookie", "JSESSIONID=other"))).isNull();
    assertThat(p.pinnedServer(request("/", "Cookie", "jsessionid=abc")))
        .as("cookie names are case-sensitive")
        .isNull();
    assertThat(registry.sizes()).containsEntry("persistence/app/web", 1);
  }

  @Test
  void findsTheSessionInTheQueryWithAnyCaseOfTheName() {
    respond(p, request("/"), "JSESSIONID=abc");
    assertThat(p.pinnedServer(request("/cart?JSESSIONID=abc"))).isEqualTo(SERVER);
    assertThat(p.pinnedServer(request("/cart?x=1&jsessionid=abc&y=2"))).isEqualTo(SERVER);
    assertThat(p.pinnedServer(request("http://shop.example/cart?JSessionId=abc")))
        .isEqualTo(SERVER);
    assertThat(p.pinnedServer(request("/cart?other=abc"))).isNull();
  }

  @Test
  void findsTheSessionInAPathParameter() {
    respond(p, request("/"), "JSESSIONID=ABC123");
    assertThat(p.pinnedServer(request("/path;jsessionid=ABC123?x=1"))).isEqualTo(SERVER);
    assertThat(p.pinnedServer(request("/path;JSESSIONID=ABC123"))).isEqualTo(SERVER);
    assertThat(p.pinnedServer(request("/a;v=1;jsessionid=ABC123/b"))).isEqualTo(SERVER);
    assertThat(p.pinnedServer(request("/path;jsessionidx=ABC123"))).isNull();
    assertThat(p.pinnedServer(request("/path;jsessionid="))).isNull();
  }

  @Test
  void aCookieTakesPrecedenceOverTheUri() {
    respond(p, request("/"), "JSESSIONID=abc");
    assertThat(p.pinnedServer(request("/?JSESSIONID=abc", "Cookie", "JSESSIONID=stale"))).isNull();
  }

  @Test
  void theConfiguredCookieNameIsUsed() {
    Persistence custom = profile("PHPSESSID");
    respond(custom, request("/"), "JSESSIONID=abc", "PHPSESSID=xyz");
    assertThat(custom.pinnedServer(request("/", "Cookie", "JSESSIONID=abc"))).isNull();
    assertThat(custom.pinnedServer(request("/", "Cookie", "PHPSESSID=xyz"))).isEqualTo(SERVER);
    assertThat(custom.pinnedServer(request("/x;phpsessid=xyz"))).isEqualTo(SERVER);
  }

  @Test
  void eachHitRefreshesTheIdleTimeout() {
    respond(p, request("/"), "JSESSIONID=abc");
    var withSession = request("/", "Cookie", "JSESSIONID=abc");
    now.addAndGet(15 * MINUTE);
    assertThat(p.pinnedServer(withSession)).isEqualTo(SERVER);
    now.addAndGet(20 * MINUTE - 1_000);
    assertThat(p.pinnedServer(withSession)).isEqualTo(SERVER);
    now.addAndGet(20 * MINUTE);
    assertThat(p.pinnedServer(withSession)).isNull();
  }

  @Test
  void refreshesWithinOneSecondWriteOnce() {
    RecordingListener listener = new RecordingListener();
    registry.table("persistence/app/web").addListener(listener);
    respond(p, request("/"), "JSESSIONID=abc");
    var withSession = request("/", "Cookie", "JSESSIONID=abc");
    now.addAndGet(1);
    for (int i = 0; i < 10; i++) {
      p.pinnedServer(withSession);
      now.addAndGet(50);
    }
    assertThat(listener.events).hasSize(2); // learned, then one refresh to the next whole second
  }

  @Test
  void aDeletingSetCookieForgetsTheSession() {
    var withSession = request("/logout", "Cookie", "JSESSIONID=abc");
    respond(p, request("/"), "JSESSIONID=abc");
    respond(p, withSession, "JSESSIONID=; Max-Age=0; Path=/");
    assertThat(p.pinnedServer(withSession)).isNull();

    respond(p, request("/"), "JSESSIONID=def");
    respond(p, request("/"), "JSESSIONID=def; Expires=Thu, 01 Jan 1970 00:00:00 GMT");
    assertThat(p.pinnedServer(request("/", "Cookie", "JSESSIONID=def"))).isNull();
  }

  @Test
  void aNewSessionFromAnotherServerReplacesTheEntry() {
    respond(p, request("/"), "JSESSIONID=abc");
    HttpHeaders response =
        new DefaultHttpHeaders().add(HttpHeaderNames.SET_COOKIE, "JSESSIONID=abc");
    p.onResponse(request("/"), SERVER, "10.0.0.2:80", response);
    assertThat(p.pinnedServer(request("/", "Cookie", "JSESSIONID=abc"))).isEqualTo("10.0.0.2:80");
  }

  @Test
  void repinMovesKnownSessionsOnlyAndNeverLearnsMadeUpIds() {
    respond(p, request("/"), "JSESSIONID=abc");
    p.repin(request("/", "Cookie", "JSESSIONID=abc"), SERVER, "10.0.0.2:80");
    assertThat(p.pinnedServer(request("/", "Cookie", "JSESSIONID=abc"))).isEqualTo("10.0.0.2:80");

    p.repin(request("/", "Cookie", "JSESSIONID=made-up"), SERVER, "10.0.0.2:80");
    assertThat(p.pinnedServer(request("/", "Cookie", "JSESSIONID=made-up"))).isNull();
  }

  @Test
  void aSessionLearnedByAPeerDuringAMissKeepsItsServer() {
    // the request found no entry, was balanced to 10.0.0.2, and meanwhile a peer's learning of
    // the session (at SERVER) arrived: the miss must not overwrite it
    respond(p, request("/"), "JSESSIONID=abc");
    p.remember(request("/", "Cookie", "JSESSIONID=abc"), "10.0.0.2:80");
    assertThat(p.pinnedServer(request("/", "Cookie", "JSESSIONID=abc"))).isEqualTo(SERVER);
  }

  @Test
  void malformedInputIsIgnored() {
    respond(p, request("/"), "JSESSIONID=abc");
    respond(
        p,
        request("/"),
        "",
        ";;;",
        "=x",
        "JSESSIONID",
        "JSESSIONID=\"unterminated",
        "\u00ff\u00fe=\u00e9");
    assertThat(p.pinnedServer(request("/x?JSESSIONID=%zz"))).isNull();
    assertThat(p.pinnedServer(request("/x;jsessionid"))).isNull();
    assertThat(p.pinnedServer(request("/", "Cookie", ";;=;\"x \u00ff"))).isNull();
    assertThat(p.pinnedServer(request("/", "Cookie", "JSESSIONID=abc"))).isEqualTo(SERVER);
    HttpHeaders response =
        new DefaultHttpHeaders().add(HttpHeaderNames.SET_COOKIE, "JSESSIONID=zzz");
    p.onResponse(request("/"), null, null, response);
    assertThat(p.pinnedServer(request("/", "Cookie", "JSESSIONID=zzz"))).isNull();
  }
}
