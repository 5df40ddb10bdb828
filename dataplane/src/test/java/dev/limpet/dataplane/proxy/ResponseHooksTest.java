package dev.limpet.dataplane.proxy;

import static dev.limpet.dataplane.proxy.StageChannels.PORT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.script.ScriptResult;
import dev.limpet.dataplane.script.ScriptTransaction;
import dev.limpet.dataplane.transport.Transport;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ResponseHooksTest {
  private static final String EVENTS =
      """
      httpResponse: |
        if avi.http.status() == "500" then
          avi.http.response(503, {content_type = "text/plain"}, "sorry")
        else
          avi.http.add_header("X-Seen", "yes")
        end
      httpResponseFailed: |
        avi.http.response(200, {}, "failed with " .. avi.http.internal_status())
      """;

  private RuntimeConfig config;
  private ProxyContext context;
  private EmbeddedChannel channel;

  @BeforeEach
  void build() throws Exception {
    config = StageChannels.scriptedAndPlain(EVENTS);
    context = new ProxyContext(new ConfigHolder(), Transport.best(), new DataPlaneMetrics());
    channel = StageChannels.from("127.0.0.9", new Route(() -> config, PORT));
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  private RoutedRequest route(String host) {
    channel.writeInbound(StageChannels.get(host, HttpVersion.HTTP_1_1));
    return channel.readInbound();
  }

  private static ServerChoice chosen(RoutedRequest request) {
    ServerChoice choice = new ServerChoice(request.vs().pool(), null, request.client());
    choice.next();
    return choice;
  }

  private static HttpResponse response(HttpResponseStatus status) {
    return new DefaultHttpResponse(HttpVersion.HTTP_1_1, status);
  }

  @Test
  void theScriptsChangeTheHeadThenPersistenceInsertsItsCookie() {
    RoutedRequest request = route("scripted.example");
    HttpResponse response = response(HttpResponseStatus.OK);
    ScriptResult result =
        new ResponseHooks(context, PORT, false)
            .onResponse(channel, request, new ScriptTransaction(), chosen(request), response);
    assertThat(result.action()).isInstanceOf(ScriptResult.Proceed.class);
    assertThat(response.headers().get("X-Seen")).isEqualTo("yes");
    assertThat(response.headers().get("Set-Cookie")).startsWith("LB=").doesNotContain("Secure");
  }

  @Test
  void onATlsListenerTheCookieIsSecureAndWithoutScriptsOnlyPersistenceRuns() {
    RoutedRequest request = route("plain.example");
    HttpResponse response = response(HttpResponseStatus.OK);
    ScriptResult result =
        new ResponseHooks(context, PORT, true)
            .onResponse(channel, request, null, chosen(request), response);
    assertThat(result).isNull();
    assertThat(response.headers().get("Set-Cookie")).startsWith("LB=").contains("Secure");
    assertThat(response.headers().contains("X-Seen")).isFalse();
  }

  @Test
  void aResponseTheScriptsReplaceGetsNoPersistenceCookie() {
    RoutedRequest request = route("scripted.example");
    HttpResponse response = response(HttpResponseStatus.INTERNAL_SERVER_ERROR);
    ScriptResult result =
        new ResponseHooks(context, PORT, false)
            .onResponse(channel, request, new ScriptTransaction(), chosen(request), response);
    assertThat(result.action()).isInstanceOf(ScriptResult.LocalResponse.class);
    assertThat(((ScriptResult.LocalResponse) result.action()).status()).isEqualTo(503);
    assertThat(response.headers().contains("Set-Cookie")).isFalse();
  }

  @Test
  void theFailedResponseScriptsSeeTheStatusTheProxyWouldAnswer() {
    RoutedRequest request = route("scripted.example");
    ResponseHooks hooks = new ResponseHooks(context, PORT, false);
    ScriptResult result = hooks.onFailure(channel, request, new ScriptTransaction(), 504);
    var reply = LocalReplies.fromScript(result, HttpResponseStatus.GATEWAY_TIMEOUT, "x");
    assertThat(reply.status().code()).isEqualTo(200);
    assertThat(reply.content().toString(StandardCharsets.UTF_8)).isEqualTo("failed with 504");
    reply.release();
    assertThat(hooks.onFailure(channel, route("plain.example"), null, 504)).isNull();
  }
}
