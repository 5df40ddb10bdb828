package dev.limpet.dataplane.proxy;

import static dev.limpet.dataplane.proxy.StageChannels.PORT;
import static dev.limpet.dataplane.proxy.StageChannels.get;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.script.ScriptResult;
import dev.limpet.dataplane.transport.Transport;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RequestScriptsTest {
  private static final String CONFIG =
      """
      version: "1"
      virtualServices:
        - {name: scripted, port: %1$d, hostnames: [scripted.example], pool: web, dataScripts: [s]}
        - {name: plain, port: %1$d, hostnames: [plain.example], pool: web}
      pools:
        - {name: web, servers: [{name: a, ip: 127.0.0.1, port: 9}]}
        - {name: other, servers: [{name: b, ip: 127.0.0.2, port: 9}]}
      dataScripts:
        - name: s
          pools: [{pool: web}, {pool: other}]
          events:
            httpRequest: |
              local path = avi.http.get_path()
              avi.vs.log("saw " .. path)
              if path == "/other" then
                avi.http.add_header("X-Chosen", "other")
                avi.pool.select("other")
              elseif path == "/answer" then
                avi.http.response(418, {content_type = "text/plain"}, "teapot")
              elseif path == "/redirect" then
                avi.http.redirect("https://elsewhere.example/")
              elseif path == "/close" then
                avi.http.close_conn()
              elseif path == "/fail" then
                error("broken")
              end
      """
          .formatted(PORT);

  private RuntimeConfig config;
  private EmbeddedChannel channel;

  @BeforeEach
  void build() throws Exception {
    config = StageChannels.full(CONFIG);
    ProxyContext context =
        new ProxyContext(new ConfigHolder(), Transport.best(), new DataPlaneMetrics());
    channel =
        StageChannels.from(
            "127.0.0.9", new Route(() -> config, PORT), new RequestScripts(context, PORT, false));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private Object send(String host, String path) {
    var head = get(host, HttpVersion.HTTP_1_1);
    head.setUri(path);
    channel.writeInbound(head);
    return channel.readInbound();
  }

  @Test
  void aRequestTheScriptsLetThroughGoesOnWithThePoolTheyChoseAndTheirChanges() {
    Object out = send("scripted.example", "/other");
    assertThat(out).isInstanceOf(ScriptedRequest.class);
    ScriptedRequest scripted = (ScriptedRequest) out;
    assertThat(scripted.pool().name()).isEqualTo("other");
    assertThat(scripted.named()).isNull();
    assertThat(scripted.head().headers().get("X-Chosen")).isEqualTo("other");
    assertThat(scripted.scripts().log()).containsExactly("[s:2] saw /other");

    scripted = (ScriptedRequest) send("scripted.example", "/");
    assertThat(scripted.pool().name()).isEqualTo("web"); // the virtual service's
    assertThat(scripted.scripts()).isNotSameAs(((ScriptedRequest) out).scripts());
  }

  @Test
  void aLocalResponseOrRedirectBecomesAnAnswerSentInTheRequestsTurn() {
    Object out = send("scripted.example", "/answer");
    assertThat(out).isInstanceOf(ScriptAnswer.class);
    ScriptAnswer answer = (ScriptAnswer) out;
    assertThat(answer.dropsConnection()).isFalse();
    FullHttpResponse reply =
        LocalReplies.fromScript(answer.result(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "x");
    assertThat(reply.status().code()).isEqualTo(418);
    assertThat(reply.content().toString(StandardCharsets.UTF_8)).isEqualTo("teapot");
    reply.release();

    answer = (ScriptAnswer) send("scripted.example", "/redirect");
    reply = LocalReplies.fromScript(answer.result(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "x");
    assertThat(reply.status().code()).isEqualTo(302);
    assertThat(reply.headers().get("location")).isEqualTo("https://elsewhere.example/");
    reply.release();
    assertThat(channel.isOpen()).isTrue(); // the proxy answers, in turn; this stage writes nothing
    assertThat((Object) channel.readOutbound()).isNull();
  }

  @Test
  void closeConnDropsTheRequestAndAFailingScriptIsAnswered500() {
    ScriptAnswer closed = (ScriptAnswer) send("scripted.example", "/close");
    assertThat(closed.dropsConnection()).isTrue();
    assertThat(closed.result().close()).isEqualTo(ScriptResult.Close.FIN);

    ScriptAnswer failed = (ScriptAnswer) send("scripted.example", "/fail");
    assertThat(failed.dropsConnection()).isFalse();
    assertThat(failed.result().action()).isInstanceOf(ScriptResult.Failed.class);
    FullHttpResponse reply =
        LocalReplies.fromScript(
            failed.result(), HttpResponseStatus.INTERNAL_SERVER_ERROR, "DataScript error");
    assertThat(reply.status()).isEqualTo(HttpResponseStatus.INTERNAL_SERVER_ERROR);
    reply.release();
  }

  @Test
  void requestsWithoutRequestScriptsPassOnUnchanged() {
    assertThat(send("plain.example", "/other")).isInstanceOf(RoutedRequest.class);
    Object unrouted = send("nowhere.example", "/other");
    assertThat(unrouted).isInstanceOf(RoutedRequest.class);
    assertThat(((RoutedRequest) unrouted).routed()).isFalse();
  }
}
