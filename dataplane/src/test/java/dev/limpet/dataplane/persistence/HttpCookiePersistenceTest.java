package dev.limpet.dataplane.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PersistenceProfileConfig.HttpCookie;
import dev.limpet.contract.PersistenceProfileConfig.SameSite;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import dev.limpet.contract.PoolConfig;
import dev.limpet.dataplane.http.ClientRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.ClientCookieDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HttpCookiePersistenceTest {
  private static final String SERVER = "10.0.0.12:8080";
  private static final HttpCookie DEFAULTS =
      new HttpCookie(null, null, null, null, null, null, null, null);

  private final AtomicLong now = new AtomicLong(1_700_000_000_000L);
  private final CookieKeySet keys = CookieKeySet.random();

  /**
   * The request the tests send; {@link HttpCookiePersistenceScannedTest} sends its fields as
   * received bytes.
   */
  ClientRequest request(String uri, String... headers) {
    return TestRequests.request(uri, headers);
  }

  private HttpCookiePersistence profile(HttpCookie cookie) {
    var config = new PersistenceProfileConfig("sticky", Type.HttpCookie, null, cookie);
    PoolConfig pool = new PoolConfig("web", null, null, null, "sticky", 0, 0);
    return (HttpCookiePersistence)
        PersistenceFactory.create(config, pool, new TableRegistry(10, now::get), keys, now::get);
  }

  /** The Set-Cookie header a response gets, or null. */
  private String setCookie(Persistence p, String requestCookie, String pinned, String served) {
    HttpHeaders response = new DefaultHttpHeaders();
    var request = requestCookie == null ? request("/") : request("/", "Cookie", requestCookie);
    p.onResponse(request, pinned, served, response);
    assertThat(response.getAll(HttpHeaderNames.SET_COOKIE)).hasSizeLessThan(2);
    return response.get(HttpHeaderNames.SET_COOKIE);
  }

  @Test
  void aFirstResponseSetsASessionCookieThatPinsTheNextRequest() {
    HttpCookiePersistence p = profile(DEFAULTS);
    assertThat(p.pinnedServer(request("/"))).isNull();
    String header = setCookie(p, null, null, SERVER);
    Cookie cookie = ClientCookieDecoder.STRICT.decode(header);
    assertThat(cookie.name()).isEqualTo("LIMPET");
    assertThat(cookie.path()).isEqualTo("/");
    assertThat(cookie.maxAge()).as("a session cookie").isEqualTo(Cookie.UNDEFINED_MAX_AGE);
    assertThat(cookie.isHttpOnly()).isTrue();
    assertThat(cookie.isSecure()).isFalse();
    assertThat(cookie.domain()).isNull();
    assertThat(cookie.value()).doesNotContain("10.0.0.12");

    String next = "other=1; LIMPET=" + cookie.value();
    assertThat(p.pinnedServer(request("/", "Cookie", next))).isEqualTo(SERVER);
    assertThat(setCookie(p, next, SERVER, SERVER)).as("same server: no new cookie").isNull();
  }

  @Test
  void aDifferentServerGetsANewCookie() {
    HttpCookiePersistence p = profile(DEFAULTS);
    String value = ClientCookieDecoder.STRICT.decode(setCookie(p, null, null, SERVER)).value();
    String header = setCookie(p, "LIMPET=" + value, SERVER, "10.0.0.13:8080");
    String newValue = ClientCookieDecoder.STRICT.decode(header).value();
    assertThat(p.pinnedServer(request("/", "Cookie", "LIMPET=" + newValue)))
        .isEqualTo("10.0.0.13:8080");
  }

  @Test
  void theTimeoutIsAbsoluteFromTheCreationTime() {
    HttpCookiePersistence p =
        profile(new HttpCookie(null, 0.5, null, null, null, null, null, null));
    String value = ClientCookieDecoder.STRICT.decode(setCookie(p, null, null, SERVER)).value();
    var request = request("/", "Cookie", "LIMPET=" + value);
    now.addAndGet(29_999);
    assertThat(p.pinnedServer(request)).isEqualTo(SERVER);
    now.addAndGet(1);
    assertThat(p.pinnedServer(request)).isNull();
    assertThat(setCookie(p, "LIMPET=" + value, null, SERVER)).as("replaced").isNotNull();
  }

  @Test
  void forgedOrForeignCookiesPinNothingAndAreReplaced() {
    HttpCookiePersistence p = profile(DEFAULTS);
    String foreign = new CookieCodec(CookieKeySet.random(), "web").encode(SERVER, now.get() / 1000);
    for (String bad :
        new String[] {"LIMPET=" + foreign, "LIMPET=10.0.0.12:8080", "LIMPET=", "LIMPET"}) {
      assertThat(p.pinnedServer(request("/", "Cookie", bad))).as(bad).isNull();
      assertThat(setCookie(p, bad, null, SERVER)).as(bad).isNotNull();
    }
    assertThat(p.pinnedServer(request("/", "Cookie", ";;==;\"garbage \u00ff"))).isNull();
  }

  @Test
  void theFirstValidOfSeveralCookiesWins() {
    HttpCookiePersistence p = profile(DEFAULTS);
    String value = ClientCookieDecoder.STRICT.decode(setCookie(p, null, null, SERVER)).value();
    var request = request("/", "Cookie", "LIMPET=forged", "Cookie", "LIMPET=" + value);
    assertThat(p.pinnedServer(request)).isEqualTo(SERVER);
  }

  @Test
  void configuredAttributesAreSet() {
    HttpCookiePersistence p =
        profile(
            new HttpCookie(
                "SRV", null, 3_600, "/app", "example.com", true, false, SameSite.Strict));
    String header = setCookie(p, null, null, SERVER);
    Cookie cookie = ClientCookieDecoder.STRICT.decode(header);
    assertThat(cookie.name()).isEqualTo("SRV");
    assertThat(cookie.path()).isEqualTo("/app");
    assertThat(cookie.domain()).isEqualTo("example.com");
    assertThat(cookie.maxAge()).isEqualTo(3_600);
    assertThat(cookie.isSecure()).isTrue();
    assertThat(cookie.isHttpOnly()).isFalse();
    assertThat(header).contains("SameSite=Strict");
  }

  @Test
  void partitionedAddsTheAttributeAndNothingElseDoes() {
    String partitioned =
        setCookie(
            profile(new HttpCookie(null, null, null, null, null, true, null, SameSite.None, true)),
            null,
            null,
            SERVER);
    assertThat(partitioned).contains("; Secure").contains("; Partitioned");
    assertThat(ClientCookieDecoder.STRICT.decode(partitioned).name()).isEqualTo("LIMPET");
    assertThat(setCookie(profile(DEFAULTS), null, null, SERVER)).doesNotContain("Partitioned");
  }

  @Test
  void secureCanBeForced() {
    String header = setCookie(profile(DEFAULTS).onTlsListener(), null, null, SERVER);
    assertThat(ClientCookieDecoder.STRICT.decode(header).isSecure()).isTrue();
  }

  @Test
  void nothingIsSetWithoutAServerAndNothingIsRemembered() {
    HttpCookiePersistence p = profile(DEFAULTS);
    assertThat(setCookie(p, null, null, null)).isNull();
    p.remember(request("/"), SERVER);
    assertThat(p.pinnedServer(request("/"))).isNull();
  }

  @Test
  void aCookieFieldAddedSinceArrivalIsReadAfterTheReceivedOnes() {
    HttpCookiePersistence p = profile(DEFAULTS);
    String value = ClientCookieDecoder.STRICT.decode(setCookie(p, null, null, SERVER)).value();
    ClientRequest added = request("/", "Cookie", "LIMPET=forged");
    added.head().headers().add("Cookie", "LIMPET=" + value);
    assertThat(p.pinnedServer(added)).isEqualTo(SERVER);
    ClientRequest removed = request("/", "Cookie", "LIMPET=" + value);
    removed.head().headers().remove("Cookie");
    assertThat(p.pinnedServer(removed)).isNull();
  }

  @Test
  void quotedAndRepeatedValuesAreReadAsNettyReadsThem() {
    HttpCookiePersistence p = profile(DEFAULTS);
    String value = ClientCookieDecoder.STRICT.decode(setCookie(p, null, null, SERVER)).value();
    for (String header :
        List.of(
            "LIMPET=\"" + value + "\"",
            "a=1, LIMPET=x; LIMPET=" + value,
            "$Version=1; LIMPET=" + value + "; $Path=/",
            ";LIMPET=" + value,
            "LIMPET\t=" + value))
      assertThat(p.pinnedServer(request("/", "Cookie", header))).as(header).isEqualTo(SERVER);
    for (String header :
        List.of(
            "LIMPET=\"" + value,
            "limpet=" + value,
            "LIM PET=" + value,
            "LIMPET=" + value + "x",
            "$Version=1; $Path=" + value))
      assertThat(p.pinnedServer(request("/", "Cookie", header))).as(header).isNull();
  }

  @Test
  void responsesOfOneSecondFromOneServerShareAValue() {
    HttpCookiePersistence p = profile(DEFAULTS);
    String first = setCookie(p, null, null, SERVER);
    assertThat(setCookie(p, null, null, SERVER)).isEqualTo(first);
    assertThat(setCookie(p, null, null, "10.0.0.13:8080")).isNotEqualTo(first);
    now.addAndGet(1_000);
    String next = setCookie(p, null, null, SERVER);
    assertThat(next).isNotEqualTo(first);
    String value = ClientCookieDecoder.STRICT.decode(next).value();
    assertThat(p.pinnedServer(request("/", "Cookie", "LIMPET=" + value))).isEqualTo(SERVER);
  }
}
