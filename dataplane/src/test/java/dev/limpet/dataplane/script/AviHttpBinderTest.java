package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.script.ScriptResult.Close;
import dev.limpet.dataplane.script.ScriptResult.Failed;
import dev.limpet.dataplane.script.ScriptResult.LocalResponse;
import dev.limpet.dataplane.script.ScriptResult.Redirect;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AviHttpBinderTest {
  private final ScriptHarness harness = new ScriptHarness();
  private final FakeExchange exchange =
      new FakeExchange("/a%20b/c?x=1&y=hello+world&flag&x=2&e=%E2%82%AC")
          .header("X-Multi", "one")
          .header("X-Multi", "two")
          .header("Cookie", "sid=abc; theme=\"dark\"")
          .header("Cookie", "lang=en");

  private List<String> logs(String source) {
    return harness.logs(source, exchange);
  }

  /** Runs {@code response} as HTTP_RESP after an empty HTTP_REQ; returns the result. */
  private ScriptResult inResponse(String response) {
    harness.script("r", "local _ = 1", response, null);
    var tx = new ScriptTransaction();
    harness.run(ScriptEvent.HTTP_REQ, tx, exchange);
    exchange.respond(200, harness.a);
    exchange.response.headers().add("Set-Cookie", "sid=server1; Path=/; HttpOnly");
    exchange.response.headers().add("Set-Cookie", "other=1");
    exchange.response.headers().add("X-Upstream", "u");
    return harness.run(ScriptEvent.HTTP_RESP, tx, exchange);
  }

  @Test
  void getHeaderIsCaseInsensitiveFirstValueOrNil() {
    assertThat(
            logs(
                "avi.vs.log(avi.http.get_header('x-multi'), avi.http.get_header('Host'),"
                    + " avi.http.get_header('absent'))"))
        .containsExactly("one shop.example.com:8080 nil");
  }

  @Test
  void getHeaderWithoutANameIsATableOfLowerCaseNamesWithAnArrayForARepeatedHeader() {
    assertThat(
            logs(
                """
                local h = avi.http.get_header()
                local names = {}
                for name, value in pairs(h) do names[#names + 1] = name .. '=' .. type(value) end
                table.sort(names)
                avi.vs.log(table.concat(names, ' '))
                avi.vs.log(h['host'], h['x-multi'][1], h['x-multi'][2], #h['x-multi'])
                avi.vs.log(h['X-Multi'][2], h['HOST'], h[1])
                """))
        .containsExactly(
            "cookie=table host=string x-multi=table",
            "shop.example.com:8080 one two 2",
            "two shop.example.com:8080 nil");
  }

  /** The usual SameSite fix: every Set-Cookie of the response gets SameSite=None; Secure. */
  @Test
  void aSameSiteRewritingScriptSeesEverySetCookie() {
    inResponse(
        """
        local cookies = avi.http.get_header()["set-cookie"]
        if type(cookies) == "string" then cookies = {cookies} end
        if cookies then
          avi.http.remove_header("Set-Cookie")
          for _, cookie in ipairs(cookies) do
            if not string.find(string.lower(cookie), "samesite", 1, true) then
              cookie = cookie .. "; SameSite=None; Secure"
            end
            avi.http.add_header("Set-Cookie", cookie)
          end
        end
        """);
    assertThat(harness.failures).isEmpty();
    assertThat(exchange.response.headers().getAll("Set-Cookie"))
        .containsExactly(
            "sid=server1; Path=/; HttpOnly; SameSite=None; Secure",
            "other=1; SameSite=None; Secure");
  }

  /** Avi's Shellshock example (DataScript guide, avi.http.response), verbatim. */
  @Test
  void avisShellshockExampleRunsVerbatim() {
    String script =
        """
        local h = avi.http.get_headers()
        for k, v in pairs(h) do
           if string.sub(v, 1, 2) == "()" and #v > 2 then
              avi.http.response(404, {content_type="text/html"},
              "Blocking Shellshock Attack!")
           end
        end
        """;
    harness.request(script);
    var attack = new FakeExchange("/").header("User-Agent", "() { :; }; /bin/eject");
    var reply = (LocalResponse) harness.request(attack).action();
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.headers().getAll("Content-Type")).containsExactly("text/html");
    assertThat(new String(reply.body(), StandardCharsets.UTF_8))
        .isEqualTo("Blocking Shellshock Attack!");
    var fine = new FakeExchange("/").header("User-Agent", "curl/8");
    assertThat(harness.request(fine).action()).isInstanceOf(ScriptResult.Proceed.class);
  }

  @Test
  void responseHeaderKeysInAvisSpellingBecomeHttpNames() {
    harness.request(
        """
        avi.http.response(503, {content_type = "text/html", retry_after = 30,
          x_frame_options = "DENY", ["X-Kept_As-Is"] = "1", ["retry-later"] = "2"}, "<p>busy</p>")
        """);
    var reply = (LocalResponse) harness.request(exchange).action();
    assertThat(reply.headers().names())
        .containsExactlyInAnyOrder(
            "Content-Type", "Retry-After", "X-Frame-Options", "X-Kept-As-Is", "retry-later");
    assertThat(reply.headers().get("Content-Type")).isEqualTo("text/html");
    assertThat(reply.headers().get("Retry-After")).isEqualTo("30");
  }

  @Test
  void aResponseWithoutAContentTypeIsTextPlainAsAviDocuments() {
    harness.request("avi.http.response(200, nil, 'ok')");
    var reply = (LocalResponse) harness.request(exchange).action();
    assertThat(reply.headers().getAll("Content-Type")).containsExactly("text/plain");
  }

  @Test
  void addReplaceAndRemoveHeaderEditTheRequestInHttpReq() {
    logs(
        """
        avi.http.add_header('X-Added', 'a1')
        avi.http.add_header('X-Added', 'a2')
        avi.http.replace_header('x-multi', 'only')
        avi.http.replace_header('X-New', 'n')
        avi.http.remove_header('HOST')
        """);
    var headers = exchange.request.headers();
    assertThat(headers.getAll("X-Added")).containsExactly("a1", "a2");
    assertThat(headers.getAll("X-Multi")).containsExactly("only");
    assertThat(headers.get("X-New")).isEqualTo("n");
    assertThat(headers.contains("Host")).isFalse();
  }

  @Test
  void headerEditsInHttpRespChangeTheResponseAndContextSelectsTheMessageRead() {
    inResponse(
        """
        avi.http.add_header('X-Script', 'yes')
        avi.http.remove_header('X-Upstream')
        avi.vs.log(avi.http.get_header('X-Script'), avi.http.get_header('X-Multi'))
        avi.vs.log(avi.http.get_header('X-Multi', avi.HTTP_REQUEST))
        avi.vs.log(avi.http.get_header(avi.HTTP_REQUEST)['x-multi'][1])
        """);
    assertThat(harness.failures).isEmpty();
    assertThat(exchange.response.headers().get("X-Script")).isEqualTo("yes");
    assertThat(exchange.response.headers().contains("X-Upstream")).isFalse();
    assertThat(exchange.request.headers().contains("X-Script")).isFalse();
    assertThat(ScriptHarness.logged(exchange)).containsExactly("yes nil", "one", "one");
  }

  @Test
  void theResponseContextDoesNotExistInHttpReq() {
    harness.request("avi.http.get_header('X', avi.HTTP_RESPONSE)");
    harness.request(exchange);
    assertThat(harness.failure()).contains("there is no response in HTTP_REQ");
  }

  @Test
  void headerInjectionIsRefused() {
    for (String call :
        List.of(
            "avi.http.add_header('X', 'a\\r\\nEvil: 1')",
            "avi.http.replace_header('Bad Name', 'v')",
            "avi.http.add_header('X')")) {
      var h = new ScriptHarness();
      h.request(call);
      assertThat(h.request(new FakeExchange("/")).action()).as(call).isInstanceOf(Failed.class);
    }
  }

  @Test
  void requestCookies() {
    assertThat(
            logs(
                """
                avi.vs.log(avi.http.get_cookie('sid'), avi.http.get_cookie('theme'), avi.http.get_cookie('x'))
                avi.vs.log(avi.http.cookie_exists('lang'), avi.http.cookie_exists('nope'))
                local names, n = avi.http.get_cookie_names()
                avi.vs.log(n, table.concat(names, ','))
                """))
        .containsExactly("abc dark nil", "true false", "3 sid,theme,lang");
  }

  @Test
  void requestCookieEditsRewriteOneCookieHeader() {
    logs(
        """
        avi.http.remove_cookie('theme')
        avi.http.add_cookie('a', '1', 'b', 2)
        avi.http.replace_cookie('sid', 'new', 'c', '3')
        """);
    assertThat(exchange.request.headers().getAll("Cookie"))
        .containsExactly("lang=en; a=1; b=2; sid=new; c=3");
  }

  @Test
  void requestCookiePairsMustBeComplete() {
    harness.request("avi.http.add_cookie('a', '1', 'b')");
    harness.request(exchange);
    assertThat(harness.failure()).contains("name and value pairs expected");
  }

  @Test
  void responseCookiesReadAndEditSetCookie() {
    inResponse(
        """
        avi.vs.log(avi.http.get_cookie('sid'), avi.http.cookie_exists('other'))
        avi.vs.log(avi.http.get_cookie('sid', avi.HTTP_REQUEST))
        avi.http.remove_cookie('other')
        avi.http.add_cookie('plain', 'v')
        avi.http.add_cookie('full', 'v', '/p', 'example.com', 1700000000, 60, true, true)
        avi.http.add_cookie('zeros', 'v', nil, nil, 0, 0)
        avi.http.replace_cookie({name = 'sid', value = 'mine', path = '/', max_age = 10,
                                 httponly = true, secure = true, samesite = 'Lax'})
        """);
    assertThat(harness.failures).isEmpty();
    assertThat(ScriptHarness.logged(exchange)).containsExactly("server1 true", "abc");
    assertThat(exchange.response.headers().getAll("Set-Cookie"))
        .containsExactly(
            "plain=v",
            "full=v; Path=/p; Domain=example.com; Expires=Tue, 14 Nov 2023 22:13:20 GMT;"
                + " Max-Age=60; HttpOnly; Secure",
            "zeros=v",
            "sid=mine; Path=/; Max-Age=10; HttpOnly; Secure; SameSite=Lax");
  }

  /**
   * The avi functions share one arguments object per thread: a function called from a metamethod
   * while another reads the script's table must not overwrite the outer call's arguments (its error
   * would then name the inner function).
   */
  @Test
  void anAviCallFromAMetamethodLeavesTheOuterCallsArgumentsAlone() {
    var result =
        inResponse(
            """
            local cookie = setmetatable({value = 'v'}, {__index = function(t, k)
              if k == 'name' then return avi.http.get_header('X-Upstream') end
              if k == 'samesite' then return 'Sometimes' end
            end})
            avi.http.add_cookie(cookie)
            """);
    assertThat(result.action()).isInstanceOf(Failed.class);
    assertThat(((Failed) result.action()).failure().message())
        .contains(
            "bad argument #1 to 'avi.http.add_cookie' (samesite must be Strict, Lax or None)");
  }

  @Test
  void cookieInjectionIsRefused() {
    var result = inResponse("avi.http.add_cookie('a', 'x; Domain=evil.com')");
    assertThat(result.action()).isInstanceOf(Failed.class);
  }

  @Test
  void secureAndSchemeTellATlsConnection() {
    assertThat(logs("avi.vs.log(avi.http.secure(), avi.http.scheme())"))
        .containsExactly("false http");
    var tls = new FakeExchange("/");
    tls.secure = true;
    assertThat(new ScriptHarness().logs("avi.vs.log(avi.http.secure(), avi.http.scheme())", tls))
        .containsExactly("true https");
  }

  @Test
  void aUserIdIsBounded() {
    harness.request("avi.http.set_userid(string.rep('u', 257))");
    harness.request(exchange);
    assertThat(harness.failure()).contains("bad argument #1 to 'avi.http.set_userid' (at most 256");
  }

  @Test
  void requestLine() {
    exchange.secure = true;
    assertThat(
            logs(
                """
                avi.vs.log(avi.http.method(), avi.http.hostname(), avi.http.protocol())
                avi.vs.log(avi.http.get_path(), avi.http.get_path(false))
                avi.vs.log(avi.http.get_uri(false))
                avi.vs.log(avi.http.get_uri())
                avi.vs.log(avi.http.get_query())
                avi.vs.log(avi.http.get_query('x'), avi.http.get_query('y'), avi.http.get_query('flag'),
                           avi.http.get_query('e'), avi.http.get_query('none'))
                local q = avi.http.get_query(avi.QUERY_TABLE)
                avi.vs.log(q.x, q.y, q.flag)
                """))
        .containsExactly(
            "GET shop.example.com https",
            "/a b/c /a%20b/c",
            "/a%20b/c?x=1&y=hello+world&flag&x=2&e=%E2%82%AC",
            "/a b/c?x=1&y=hello+world&flag&x=2&e=€",
            "x=1&y=hello+world&flag&x=2&e=%E2%82%AC",
            "1 hello world  € nil",
            "1 hello world ");
  }

  @Test
  void hostnameDropsThePortOfAnIpv6Host() {
    exchange.request.headers().set("Host", "[::1]:8443");
    assertThat(logs("avi.vs.log(avi.http.hostname(), avi.http.get_query('absent'))"))
        .containsExactly("[::1] nil");
  }

  @Test
  void setPathQueryAndUriRewriteTheRequestTarget() {
    logs("avi.http.set_path('/new/path')");
    assertThat(exchange.request.uri())
        .isEqualTo("/new/path?x=1&y=hello+world&flag&x=2&e=%E2%82%AC");
    var h = new ScriptHarness();
    var e = new FakeExchange("/p?old=1");
    h.logs("avi.http.set_query('a=1')", e);
    assertThat(e.request.uri()).isEqualTo("/p?a=1");
    var cleared = new ScriptHarness();
    var c = new FakeExchange("/p?old=1");
    cleared.logs("avi.http.set_query('')", c);
    assertThat(c.request.uri()).isEqualTo("/p");
    var uri = new ScriptHarness();
    var u = new FakeExchange("http://host/p?old=1");
    uri.logs("avi.http.set_uri('/q?z=9')", u);
    assertThat(u.request.uri()).isEqualTo("http://host/q?z=9");
  }

  @Test
  void aRequestTargetWithSpacesOrControlCharactersIsRefused() {
    for (String call :
        List.of(
            "avi.http.set_path('/a b')",
            "avi.http.set_path('relative')",
            "avi.http.set_uri('/a\\r\\nHost: x')",
            "avi.http.set_query('a=1 HTTP/1.1')")) {
      var h = new ScriptHarness();
      h.request(call);
      assertThat(h.request(new FakeExchange("/")).action()).as(call).isInstanceOf(Failed.class);
    }
  }

  @Test
  void statusIsTheUpstreamStatusAsAString() {
    inResponse("avi.vs.log(avi.http.status(), type(avi.http.status()))");
    assertThat(ScriptHarness.logged(exchange)).containsExactly("200 string");
  }

  @Test
  void responseEndsTheScriptWithALocalReplyEvenInsidePcall() {
    harness.request(
        """
        pcall(avi.http.response, 403, {['X-Reason'] = 'blocked', ['X-Two'] = {'a', 'b'}}, 'no')
        avi.vs.log('not reached')
        """);
    harness.request("avi.vs.log('second script not reached either')");
    ScriptResult result = harness.request(exchange);
    assertThat(result.action()).isInstanceOf(LocalResponse.class);
    LocalResponse reply = (LocalResponse) result.action();
    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.headers().get("X-Reason")).isEqualTo("blocked");
    assertThat(reply.headers().getAll("X-Two")).containsExactly("a", "b");
    assertThat(new String(reply.body(), StandardCharsets.UTF_8)).isEqualTo("no");
    assertThat(exchange.logLines).isEmpty();
  }

  @Test
  void responseWithOnlyAStatus() {
    harness.request("avi.http.response(avi.HTTP_NOT_FOUND)");
    var reply = (LocalResponse) harness.request(exchange).action();
    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body()).isEmpty();
  }

  @Test
  void responseReplacesTheUpstreamResponseInHttpRespAndHttpRespFailed() {
    assertThat(inResponse("avi.http.response(503)").action()).isInstanceOf(LocalResponse.class);
    var h = new ScriptHarness();
    h.script("f", null, null, "avi.http.response(502, nil, 'upstream down')");
    var result = h.run(ScriptEvent.HTTP_RESP_FAILED, new ScriptTransaction(), exchange);
    assertThat(((LocalResponse) result.action()).status()).isEqualTo(502);
  }

  @Test
  void redirectDefaultsTo302AndAccepts301And307Only() {
    harness.request("avi.http.redirect('https://shop.example.com/')");
    assertThat(harness.request(exchange).action())
        .isEqualTo(new Redirect("https://shop.example.com/", 302));
    var h = new ScriptHarness();
    h.request("avi.http.redirect('/moved', avi.HTTP_MOVED_PERMANENTLY)");
    assertThat(h.request(exchange).action()).isEqualTo(new Redirect("/moved", 301));
    var bad = new ScriptHarness();
    bad.request("avi.http.redirect('/x', 200)");
    assertThat(bad.request(exchange).action()).isInstanceOf(Failed.class);
  }

  @Test
  void redirectIsAllowedInHttpRespFailed() {
    harness.script("f", null, null, "avi.http.redirect('/sorry', 307)");
    assertThat(
            harness.run(ScriptEvent.HTTP_RESP_FAILED, new ScriptTransaction(), exchange).action())
        .isEqualTo(new Redirect("/sorry", 307));
  }

  @Test
  void closeConnGracefulByDefaultResetOnRequestAndTheStrongestWins() {
    harness.request("avi.http.close_conn()");
    assertThat(harness.request(exchange).close()).isEqualTo(Close.FIN);
    var h = new ScriptHarness();
    h.request("avi.http.close_conn(true)");
    h.request("avi.http.close_conn()");
    assertThat(h.request(exchange).close()).isEqualTo(Close.RST);
    assertThat(new ScriptHarness().request("local x = 1").request(exchange).close())
        .isEqualTo(Close.NONE);
  }

  @Test
  void constants() {
    assertThat(
            logs(
                "avi.vs.log(avi.HTTP_OK, avi.HTTP_FORBIDDEN, avi.HTTP_MOVED_TEMPORARILY,"
                    + " avi.HTTP_INTERNAL_SERVER_ERROR, avi.HTTP_REQUEST ~= avi.HTTP_RESPONSE)"))
        .containsExactly("200 403 302 500 true");
  }
}
