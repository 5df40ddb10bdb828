package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawHttp;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The standalone DataScript examples of dataplane/examples/, run as shipped through a real data
 * plane and real backends.
 */
@Timeout(90)
class DataScriptEndToEndTest {
  private static final int STICKY_REQUESTS = 50;
  private ProxyFixture fx;

  private ProxyFixture start(int eventLoops, String example) throws Exception {
    fx = new ProxyFixture(eventLoops, 91, "s1", "s2", "s3");
    fx.dataPlane.apply(fx.example(example));
    return fx;
  }

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void headerPersistenceFollowsHealth() throws Exception {
    start(2, "datascript-header-persistence");
    Set<String> firsts = new HashSet<>();
    for (int c = 1; c <= 12; c++) {
      String client = "198.18.0." + c;
      String first = Client.backend(fx.client().get("/status?code=200", "True-Client-IP", client));
      for (int i = 0; i < STICKY_REQUESTS; i++)
        assertThat(Client.backend(fx.client().get("/status?code=200", "True-Client-IP", client)))
            .isEqualTo(first);
      firsts.add(first);
    }
    assertThat(firsts).containsExactlyInAnyOrder("s1", "s2", "s3");

    String pinned =
        Client.backend(fx.client().get("/status?code=200", "True-Client-IP", "198.18.1.1"));
    fx.backend(pinned).answer(503); // its health monitor now fails
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                !Client.backend(fx.client().get("/status?code=200", "True-Client-IP", "198.18.1.1"))
                    .equals(pinned));
    String moved =
        Client.backend(fx.client().get("/status?code=200", "True-Client-IP", "198.18.1.1"));
    fx.backend(pinned).answer(200);
    var server =
        fx.dataPlane.current().pools().pool("web").servers().stream()
            .filter(s -> s.name().equals(pinned))
            .findFirst()
            .orElseThrow();
    await().atMost(Duration.ofSeconds(10)).until(server::healthy);
    for (int i = 0; i < 10; i++)
      assertThat(
              Client.backend(fx.client().get("/status?code=200", "True-Client-IP", "198.18.1.1")))
          .isEqualTo(moved);
  }

  @Test
  void jsessionIdIsLearnedAndPinned() throws Exception {
    start(2, "datascript-jsessionid");
    Set<String> learnedOn = new HashSet<>();
    for (int c = 0; c < 6; c++) {
      HttpResponse<String> login = fx.client().get("/login");
      String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
      learnedOn.add(Client.backend(login));
      for (int i = 0; i < STICKY_REQUESTS; i++)
        assertThat(Client.backend(fx.client().get("/", "Cookie", cookie)))
            .isEqualTo(Client.backend(login));
    }
    assertThat(learnedOn).containsExactlyInAnyOrder("s1", "s2", "s3");
    assertThat(fx.dataPlane.tableSizes()).containsEntry("script/app/sessions", 6);
  }

  /**
   * Avi's documented custom persistence ("Custom Persistence with DataScript", JSessionID example)
   * verbatim, its pool named {@code poolname} as Avi's text has it. {@code table_lookup} returns
   * the value and the remaining lifetime, so {@code select} gets the lifetime as its port.
   */
  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void avisDocumentedJsessionidScriptPinsVerbatim(int loops) throws Exception {
    fx = new ProxyFixture(loops, 91, "s1", "s2", "s3");
    String config =
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [avi-jsessionid]}]
        pools: [{name: web, servers: ${servers}}]
        dataScripts:
          - name: avi-jsessionid
            pools: [{pool: web, scriptName: poolname}]
            events:
              httpResponse: |
                if avi.http.get_cookie("JSESSIONID") then
                  avi.vs.table_insert(avi.http.get_cookie("JSESSIONID"), avi.pool.server_ip(), 1200)
                end
              httpRequest: |
                if avi.http.get_cookie("JSESSIONID") then
                  avi.pool.select("poolname", avi.vs.table_lookup(avi.http.get_cookie("JSESSIONID")))
                end
        """;
    fx.apply(config.replace("${servers}", fx.servers()));
    Set<String> learnedOn = new HashSet<>();
    for (int c = 0; c < 6; c++) {
      HttpResponse<String> login = fx.client().get("/login");
      String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
      learnedOn.add(Client.backend(login));
      for (int i = 0; i < STICKY_REQUESTS / 5; i++)
        assertThat(Client.backend(fx.client().get("/", "Cookie", cookie)))
            .isEqualTo(Client.backend(login));
    }
    assertThat(learnedOn).containsExactlyInAnyOrder("s1", "s2", "s3");
    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_persistence_total{outcome=\"script\",pool=\"web\"} 60.0")
        .contains("reason=\"port_ignored\"");
  }

  @Test
  void avisHeaderSpellingsWorkOverTheWire() throws Exception {
    fx = new ProxyFixture(1, 91, "s1");
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [headers]}]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        dataScripts:
          - name: headers
            events:
              httpRequest: |
                if avi.http.get_path() == "/maintenance" then
                  avi.http.response(503, {content_type = "text/html"}, "<p>back soon</p>")
                end
              httpResponse: |
                local cookies = avi.http.get_header()["set-cookie"]
                if type(cookies) == "string" then cookies = {cookies} end
                if cookies then
                  avi.http.remove_header("Set-Cookie")
                  for _, cookie in ipairs(cookies) do
                    avi.http.add_header("Set-Cookie", cookie .. "; SameSite=None; Secure")
                  end
                end
        """);
    HttpResponse<String> maintenance = fx.client().get("/maintenance");
    assertThat(maintenance.statusCode()).isEqualTo(503);
    assertThat(maintenance.headers().allValues("content-type")).containsExactly("text/html");
    assertThat(maintenance.headers().map()).doesNotContainKey("content_type");
    assertThat(maintenance.body()).isEqualTo("<p>back soon</p>");
    HttpResponse<String> login = fx.client().get("/login");
    assertThat(login.headers().allValues("set-cookie"))
        .singleElement()
        .asString()
        .startsWith("JSESSIONID=")
        .endsWith("; Path=/; SameSite=None; Secure");
  }

  /**
   * Request fields are read from the bytes they arrived in, and a value read in HTTP_REQ is given
   * again in HTTP_RESP: each field still reads as its own value, a field a script replaced or
   * removed in HTTP_REQ reads as changed, and a head with a byte above 0x7F (read by Netty's
   * decoder, as Latin-1) gives the UTF-8 of its text.
   */
  @Test
  void receivedHeadersReadInBothEventsFollowTheScriptsEdits() throws Exception {
    fx = new ProxyFixture(1, 91, "s1");
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [h]}]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        dataScripts:
          - name: h
            events:
              httpRequest: |
                first = avi.http.get_header("x-key")
                a = avi.http.get_header("X-A")
                b = avi.http.get_header("X-B")
                avi.http.replace_header("X-Key", "replaced")
                avi.http.remove_header("X-Gone")
              httpResponse: |
                local key = avi.http.get_header("X-Key", avi.HTTP_REQUEST)
                local gone = avi.http.get_header("X-Gone", avi.HTTP_REQUEST) or "nil"
                local a2 = avi.http.get_header("X-A", avi.HTTP_REQUEST) or "nil"
                local b2 = avi.http.get_header("X-B", avi.HTTP_REQUEST) or "nil"
                local text = avi.http.get_header("X-Text", avi.HTTP_REQUEST) or ""
                local bytes = {}
                for i = 1, #text do bytes[i] = string.format("%02x", string.byte(text, i)) end
                avi.http.add_header("X-Seen",
                  first .. "/" .. key .. "/" .. gone .. "/" .. a .. b .. "/" .. a2 .. b2 .. "/"
                    .. table.concat(bytes))
        """);
    String head = "GET / HTTP/1.1\r\nHost: t\r\nX-Key: k1\r\nX-Gone: g\r\nX-A: 1\r\nX-B: 2\r\n";
    try (RawHttp raw = new RawHttp(fx.port)) {
      String answer =
          raw.send(head + "X-Text: cafe\r\nConnection: close\r\n\r\n").readUntilClosed();
      assertThat(answer)
          .startsWith("HTTP/1.1 200 ")
          .containsIgnoringCase("x-seen: k1/replaced/nil/12/12/63616665\r\n");
    }
    try (RawHttp raw = new RawHttp(fx.port)) {
      String answer =
          raw.send(head + "X-Text: caf\u00e9\r\nConnection: close\r\n\r\n").readUntilClosed();
      assertThat(answer)
          .startsWith("HTTP/1.1 200 ")
          .containsIgnoringCase("x-seen: k1/replaced/nil/12/12/636166c3a9\r\n");
    }
  }

  @Test
  void groupsDeclaredInTheDataScriptAreReadByTheScriptOverTheWire() throws Exception {
    fx = new ProxyFixture(1, 91, "s1");
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [guard]}]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        dataScripts:
          - name: guard
            ipGroups: [{name: loopback, addresses: ["127.0.0.0/8", "::1"]}]
            stringGroups:
              - {name: bots, strings: [curl, wget]}
              - {name: sections, map: {"/head": "staff", "/shop": "public"}}
            events:
              httpRequest: |
                if avi.stringgroup.beginswith("bots", avi.http.get_header("User-Agent") or "") then
                  avi.http.response(403, {content_type = "text/plain"}, "no bots\\n")
                end
                local section, found = avi.stringgroup.beginswith("sections", avi.http.get_path())
                if found then avi.http.add_header("X-Section", section) end
                avi.http.add_header("X-Local", tostring(avi.ipgroup.contains("loopback", avi.vs.client_ip())))
        """);
    HttpResponse<String> bot = fx.client().get("/", "User-Agent", "Curl/8.1");
    assertThat(bot.statusCode()).isEqualTo(403);
    assertThat(bot.body()).isEqualTo("no bots\n");
    HttpResponse<String> headers = fx.client().get("/headers", "User-Agent", "browser");
    assertThat(headers.statusCode()).isEqualTo(200);
    assertThat(headers.body())
        .containsIgnoringCase("x-local: true")
        .containsIgnoringCase("x-section: staff");
    assertThat(fx.backend("s1").requests()).isEqualTo(1);
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void persistAndChashPinEachKeyToOneServerOverTheWire(int loops) throws Exception {
    fx = new ProxyFixture(loops, 91, "s1", "s2", "s3");
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [pin]}]
        pools: [{name: web, servers: ${servers}}]
        dataScripts:
          - name: pin
            events:
              httpRequest: |
                local user = avi.http.get_header("X-User")
                if avi.http.get_header("X-How") == "chash" then avi.pool.chash(user)
                else avi.vs.persist(user, 60) end
        """
            .replace("${servers}", fx.servers()));
    for (String how : new String[] {"persist", "chash"}) {
      Set<String> used = new HashSet<>();
      for (int u = 0; u < 9; u++) {
        String first = Client.backend(fx.client().get("/", "X-User", "u" + u, "X-How", how));
        used.add(first);
        for (int i = 0; i < 5; i++)
          assertThat(Client.backend(fx.client().get("/", "X-User", "u" + u, "X-How", how)))
              .as(how + " u" + u)
              .isEqualTo(first);
      }
      assertThat(used).as(how).hasSizeGreaterThan(1);
    }
  }

  @Test
  void clientIpAndPortPinsEachConnection() throws Exception {
    start(1, "datascript-client-ip-port");
    Set<String> perConnection = new HashSet<>();
    for (int c = 0; c < 9; c++) {
      try (RawHttp connection = new RawHttp(fx.port)) {
        String first = null;
        for (int i = 0; i < STICKY_REQUESTS / 5; i++) {
          String backend =
              RawHttp.backendOf(
                  connection.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n").readUntil("backend=s"));
          if (first == null) first = backend;
          assertThat(backend).isEqualTo(first);
        }
        perConnection.add(first);
      }
    }
    assertThat(perConnection).containsExactlyInAnyOrder("s1", "s2", "s3");
  }

  @Test
  void answersLocallyRedirectsAndClosesConnections() throws Exception {
    start(1, "datascript-local-answers");
    HttpResponse<String> admin = fx.client().get("/admin");
    assertThat(admin.statusCode()).isEqualTo(403);
    assertThat(admin.body()).isEqualTo("admin is not reachable from here\n");
    assertThat(fx.backend("s1").requests()).isZero();

    try (RawHttp raw = new RawHttp(fx.port)) {
      String answer =
          raw.send("GET /old-shop HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
              .readUntilClosed();
      assertThat(answer).startsWith("HTTP/1.1 301 ").containsIgnoringCase("location: /shop");
    }
    try (RawHttp raw = new RawHttp(fx.port)) {
      raw.send("GET /drop HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(raw.ending()).isEqualTo("FIN");
    }
    try (RawHttp raw = new RawHttp(fx.port)) {
      raw.send("GET /abort HTTP/1.1\r\nHost: t\r\n\r\n");
      assertThat(raw.ending()).isEqualTo("RST");
    }
    assertThat(fx.backend("s1").requests()).isZero();

    fx.backend("s1")
        .close(); // no server answers any more: httpResponseFailed speaks instead of a 502
    HttpResponse<String> failed = fx.client().get("/shop");
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(failed.headers().firstValue("retry-after")).hasValue("30");
    assertThat(failed.body()).contains("right back");
  }

  @Test
  void aFailingScriptFailsOnlyItsOwnRequest() throws Exception {
    fx = new ProxyFixture(2, 91, "s1");
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [fragile]}]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        dataScripts:
          - name: fragile
            events:
              httpRequest: |
                if avi.http.get_path() == "/boom" then error("boom") end
                if avi.http.get_path() == "/spin" then while true do end end
        """);
    assertThat(fx.client().get("/boom").statusCode()).isEqualTo(500);
    assertThat(fx.client().get("/spin").statusCode()).isEqualTo(500);
    assertThat(fx.client().get("/").statusCode()).isEqualTo(200);
    assertThat(fx.dataPlane.metrics().scrape())
        .contains(
            "limpet_datascript_errors_total{datascript=\"fragile\",event=\"HTTP_REQ\",reason=\"error\",virtual_service=\"web\"} 1.0")
        .contains("reason=\"instructions\"");
  }

  @Test
  void aServerAScriptSelectsCountsAsScriptNotAsAPersistenceHit() throws Exception {
    fx = new ProxyFixture(1, 91, "s1", "s2");
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [pin]}]
        pools: [{name: web, servers: [{name: s1, ip: ${b0.ip}, port: ${b0.port}}, {name: s2, ip: ${b1.ip}, port: ${b1.port}}]}]
        dataScripts:
          - name: pin
            pools: [{pool: web}]
            events:
              httpRequest: |
                avi.pool.select("web", "${b1.ip}", ${b1.port})
        """);
    for (int i = 0; i < 3; i++) assertThat(Client.backend(fx.client().get("/"))).isEqualTo("s2");
    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_persistence_total{outcome=\"script\",pool=\"web\"} 3.0")
        .contains("limpet_persistence_total{outcome=\"hit\",pool=\"web\"} 0.0");
  }

  @Test
  void theInstructionBudgetComesFromTheConfiguration() throws Exception {
    fx = new ProxyFixture(1, 91, "s1");
    String template =
        """
        version: "%s"
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [count]}]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}]}]
        scriptLimits: {maxInstructions: %d}
        dataScripts:
          - name: count
            events:
              httpRequest: |
                local n = 0
                for i = 1, 20000 do n = n + i end
        """;
    fx.apply(template.formatted("roomy", 1_000_000));
    assertThat(fx.client().get("/").statusCode()).isEqualTo(200);
    fx.apply(template.formatted("tight", 10_000));
    assertThat(fx.client().get("/").statusCode()).isEqualTo(500);
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void globalsNeverLeakBetweenConcurrentRequests(int loops) throws Exception {
    fx = new ProxyFixture(loops, 91, "s1", "s2");
    fx.apply(
        """
        virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, dataScripts: [echo]}]
        pools: [{name: web, servers: [{ip: ${b0.ip}, port: ${b0.port}}, {ip: ${b1.ip}, port: ${b1.port}}]}]
        dataScripts:
          - name: echo
            events:
              httpRequest: |
                mine = avi.http.get_header("X-Id")
                avi.vs.reqvar.mine = mine
              httpResponse: |
                avi.http.add_header("X-Echo", mine .. "/" .. avi.vs.reqvar.mine)
        """);
    ConcurrentLinkedQueue<String> mismatches = new ConcurrentLinkedQueue<>();
    ExecutorService clients = Executors.newFixedThreadPool(8);
    for (int t = 0; t < 8; t++) {
      clients.submit(
          () -> {
            Client client = new Client(fx.port);
            for (int i = 0; i < 100; i++) {
              String id = UUID.randomUUID().toString();
              // slow answers keep many transactions open at once on each event loop
              String echo =
                  client
                      .get(i % 10 == 0 ? "/slow?ms=20" : "/", "X-Id", id)
                      .headers()
                      .firstValue("x-echo")
                      .orElse("none");
              if (!echo.equals(id + "/" + id)) mismatches.add(id + " -> " + echo);
            }
          });
    }
    clients.shutdown();
    assertThat(clients.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
    assertThat(mismatches).isEmpty();
  }
}
