package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.framing.FramingClient;
import dev.limpet.dataplane.framing.RecordingBackend;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.RawHttp;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code avi.http.get_req_body} over real sockets: a script reads the body of a POST and chooses a
 * pool or answers from it, and the server still receives the body byte for byte.
 */
@Timeout(60)
class RequestBodyScriptTest {
  private static final String SCRIPT =
      """
      virtualServices:
        - {name: web, address: 127.0.0.1, port: %d, pool: a, dataScripts: [route]}
      pools:
        - {name: a, servers: [{name: a, ip: %s, port: %d}]}
        - {name: b, servers: [{name: b, ip: %s, port: %d}]}
      dataScripts:
        - name: route
          pools: [{pool: a}, {pool: b}]
          events:
            httpRequest: |
              local body = avi.http.get_req_body()
              avi.http.add_header("X-Body-Length", #body)
              avi.http.add_header("X-Body-Head", avi.http.get_req_body(4))
              if string.contains(body, "answer=me") then
                avi.http.response(200, {content_type = "text/plain"}, "you sent " .. body)
              elseif string.contains(body, "pool=b") then
                avi.pool.select("b")
              end
      scriptLimits: {maxScriptBodyBytes: 1024}
      """;

  private RecordingBackend a;
  private RecordingBackend b;
  private DataPlane dataPlane;
  private int port;

  private void start(int eventLoops) throws Exception {
    a = new RecordingBackend("127.0.0.181");
    b = new RecordingBackend("127.0.0.182");
    port = FreePorts.next();
    dataPlane = new DataPlane(eventLoops, CookieKeySet.random());
    dataPlane.apply(SCRIPT.formatted(port, a.ip(), a.port(), b.ip(), b.port()));
  }

  @AfterEach
  void stop() {
    if (dataPlane != null) dataPlane.close();
    if (a != null) a.close();
    if (b != null) b.close();
  }

  private static String post(String framing, String body) {
    return "POST /form HTTP/1.1\r\nHost: web\r\nConnection: close\r\n" + framing + "\r\n" + body;
  }

  @ParameterizedTest(name = "{0} event loop(s)")
  @ValueSource(ints = {1, 2})
  void aContentLengthBodyChoosesThePoolAndReachesItsServerExactly(int loops) throws Exception {
    start(loops);
    String body = "x=1&pool=b&\u00ff\u0000end";
    var answer =
        FramingClient.exchange(port, post("Content-Length: " + body.length() + "\r\n", body));

    assertThat(answer.statuses()).isEqualTo("200");
    await().atMost(Duration.ofSeconds(5)).until(() -> b.requestLines().size() == 1);
    assertThat(a.received()).isEmpty();
    assertThat(b.received())
        .containsIgnoringCase("content-length: " + body.length() + "\r\n")
        .contains("X-Body-Length: " + body.length() + "\r\n")
        .contains("X-Body-Head: x=1&\r\n")
        .endsWith("\r\n\r\n" + body);
  }

  @Test
  void aChunkedBodyIsReadByTheScriptAndForwardedChunked() throws Exception {
    start(1);
    String request =
        post("Transfer-Encoding: chunked\r\n", "6\r\npool=b\r\n4\r\n&x=1\r\n0\r\n\r\n");
    var answer = FramingClient.exchange(port, request);

    assertThat(answer.statuses()).isEqualTo("200");
    await().atMost(Duration.ofSeconds(5)).until(() -> b.requestLines().size() == 1);
    assertThat(b.received())
        .contains("X-Body-Length: 10\r\n")
        .endsWith("\r\n\r\n6\r\npool=b\r\n4\r\n&x=1\r\n0\r\n\r\n");
  }

  @Test
  void theScriptAnswersFromTheBodyAndNothingGoesUpstream() throws Exception {
    start(1);
    var answer = FramingClient.exchange(port, post("Content-Length: 9\r\n", "answer=me"));

    assertThat(answer.statuses()).isEqualTo("200");
    assertThat(answer.responses().get(0).body()).isEqualTo("you sent answer=me");
    assertThat(a.received()).isEmpty();
    assertThat(b.received()).isEmpty();
  }

  @Test
  void aBodyOverTheLimitIsForwardedWholeAndTheScriptSeesItsFirstBytes() throws Exception {
    start(1);
    String body = "pool=b&" + "z".repeat(5_000);
    var answer =
        FramingClient.exchange(port, post("Content-Length: " + body.length() + "\r\n", body));

    assertThat(answer.statuses()).isEqualTo("200");
    await().atMost(Duration.ofSeconds(5)).until(() -> b.requestLines().size() == 1);
    assertThat(b.received()).contains("X-Body-Length: 1024\r\n").endsWith("\r\n\r\n" + body);
  }

  @Test
  void aRequestWithoutBodyGivesTheScriptAnEmptyString() throws Exception {
    start(1);
    var answer =
        FramingClient.exchange(port, "GET / HTTP/1.1\r\nHost: web\r\nConnection: close\r\n\r\n");

    assertThat(answer.statuses()).isEqualTo("200");
    await().atMost(Duration.ofSeconds(5)).until(() -> a.requestLines().size() == 1);
    assertThat(a.received()).contains("X-Body-Length: 0\r\n");
  }

  @Test
  void aClientExpecting100ContinueIsAskedForTheBodyByTheProxy() throws Exception {
    start(1);
    try (RawHttp client = new RawHttp(port)) {
      client.send(
          "POST / HTTP/1.1\r\nHost: web\r\nContent-Length: 6\r\nExpect: 100-continue\r\n"
              + "Connection: close\r\n\r\n");
      assertThat(client.readUntil("\r\n\r\n")).startsWith("HTTP/1.1 100 Continue");
      client.send("pool=b");
      assertThat(client.readUntilClosed()).startsWith("HTTP/1.1 200 ").doesNotContain("100");
    }
    assertThat(b.received()).doesNotContainIgnoringCase("expect").endsWith("\r\n\r\npool=b");
  }

  @Test
  void pipelinedRequestsEachGiveTheScriptTheirOwnBody() throws Exception {
    start(2);
    String first = "POST /1 HTTP/1.1\r\nHost: web\r\nContent-Length: 11\r\n\r\nanswer=me+1";
    String second =
        "POST /2 HTTP/1.1\r\nHost: web\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "b\r\nanswer=me+2\r\n0\r\n\r\n";
    String third =
        "POST /3 HTTP/1.1\r\nHost: web\r\nContent-Length: 6\r\nConnection: close\r\n\r\npool=b";
    var answer = FramingClient.exchange(port, first + second + third);

    assertThat(answer.statuses()).isEqualTo("200 200 200");
    assertThat(answer.responses().get(0).body()).isEqualTo("you sent answer=me+1");
    assertThat(answer.responses().get(1).body()).isEqualTo("you sent answer=me+2");
    assertThat(b.received()).contains("X-Body-Length: 6\r\n").endsWith("\r\n\r\npool=b");
    assertThat(a.received()).isEmpty();
  }

  @Test
  void aMalformedChunkedBodyIs400AndNothingReachesAServer() throws Exception {
    start(1);
    var answer =
        FramingClient.exchange(
            port, post("Transfer-Encoding: chunked\r\n", "6\r\npool=b\r\nzz\r\n"));

    assertThat(answer.statuses()).isEqualTo("400");
    assertThat(a.received()).isEmpty();
    assertThat(b.received()).isEmpty();
  }
}
