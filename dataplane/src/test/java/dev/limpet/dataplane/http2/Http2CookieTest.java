package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A client may split its cookies over several {@code cookie} fields (RFC 9113 §8.2.3, for HPACK's
 * sake); they are joined with "; " before persistence, a DataScript or a server reads them
 * (tempesta#1396: sticky code that read the first field only).
 */
@Timeout(60)
class Http2CookieTest {
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void splitCookieFieldsReachPersistenceAndTheServerAsOneField() throws Exception {
    fx = new ProxyFixture(2, 181, "a", "b", "c");
    fx.apply(
        ("virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, http2:"
                + " {enabled: true}}]\n"
                + "pools: [{name: web, servers: %s, persistenceProfile: sticky}]\n"
                + "persistenceProfiles: [{name: sticky, type: HttpCookie}]\n")
            .formatted(fx.servers()));
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/"));
      h2.flush();
      RawH2.Frame first = h2.answer(1, 20);
      String cookie = first.headers().get("set-cookie").toString().split(";")[0];
      String pinned = first.headers().get("x-backend").toString();

      for (int stream = 3; stream < 3 + 2 * 12; stream += 2) {
        h2.headers(
            stream,
            RawH2.END_STREAM | RawH2.END_HEADERS,
            RawH2.get("/headers", "cookie", "a=1", "cookie", cookie, "cookie", "b=2"));
        h2.flush();
        RawH2.Frame answer = h2.answer(stream, 20);
        assertThat(answer.headers().get(":status").toString()).isEqualTo("200");
        assertThat(answer.headers().get("x-backend").toString()).isEqualTo(pinned);
      }
      RawH2.Frame body = null;
      for (int i = 0; i < 50 && body == null; i++) {
        RawH2.Frame f = h2.read();
        if (f != null && f.type() == RawH2.DATA && f.streamId() == 3 + 2 * 11) body = f;
      }
      assertThat(new String(body.payload(), StandardCharsets.UTF_8))
          .contains("cookie: a=1; " + cookie + "; b=2\n");
    }
  }

  @Test
  void aDataScriptReadsEachCookieOfSplitFields() throws Exception {
    fx = new ProxyFixture(1, 184, "a");
    fx.apply(
        ("""
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [seen], http2: {enabled: true}}]
        pools: [{name: web, servers: %s}]
        dataScripts:
          - name: seen
            events:
              httpRequest: |
                local names, count = avi.http.get_cookie_names()
                avi.http.response(200, {}, avi.http.get_cookie("b") .. " " .. avi.http.get_cookie("a") .. " " .. count)
        """)
            .formatted(fx.servers()));
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(
          1,
          RawH2.END_STREAM | RawH2.END_HEADERS,
          RawH2.get("/", "cookie", "a=1", "cookie", "c=3", "cookie", "b=2"));
      h2.flush();
      RawH2.Frame head = h2.answer(1, 20);
      assertThat(head.headers().get(":status").toString()).isEqualTo("200");
      RawH2.Frame body = h2.read();
      assertThat(body.type()).isEqualTo(RawH2.DATA);
      assertThat(new String(body.payload(), StandardCharsets.UTF_8)).isEqualTo("2 1 3");
    }
  }
}
