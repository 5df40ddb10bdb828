package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The streams that wait for the first response of their connection (where DataScripts learn pins in
 * HTTP_RESP) go on when the first exchange ends without a server's response: the server refused it,
 * it timed out, or the client reset it. The upstream response timeout (what bounds a wait) is 30 s
 * where the test does not time the first exchange out, and every read gives up after 5 s, so
 * answers that come show the release, not the bound.
 */
@Timeout(60)
class Http2FirstResponseHoldTest {
  /** The 19 streams that follow stream 1. */
  private static final List<Integer> FOLLOWERS = FirstRequests.streams(3, FirstRequests.COUNT - 1);

  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void theWaitEndsWhenTheFirstServerRefuses() throws Exception {
    String refusedFirst =
        FirstRequests.CLIENT_IP_TABLE
            .replace("pools: [{pool: web}]", "pools: [{pool: web}, {pool: dead}]")
            .replace(
                "httpRequest: |\n",
                "httpRequest: |\n"
                    + "        if avi.http.get_path() == \"/refused\" then"
                    + " avi.pool.select(\"dead\") return end\n");
    String deadPool =
        "{name: dead, servers: [{name: gone, ip: 127.0.0.240, port: %d}]}, "
            .formatted(FreePorts.next());
    fx = FirstRequests.scripted(233, 30_000, deadPool, refusedFirst);
    try (RawH2 h2 = new RawH2(fx.port)) {
      Map<Integer, RawH2.Frame> answers = openTogether(h2, "/refused");
      assertThat(answers.get(1).headers().status().toString()).startsWith("5");
      assertFollowersAnswered(answers);
    }
  }

  @Test
  void theWaitEndsWhenTheFirstExchangeTimesOut() throws Exception {
    fx = FirstRequests.scripted(236, 500, "", FirstRequests.CLIENT_IP_TABLE);
    try (RawH2 h2 = new RawH2(fx.port)) {
      Map<Integer, RawH2.Frame> answers = openTogether(h2, "/slow?ms=3000");
      assertThat(answers.get(1).headers().status().toString()).isEqualTo("504");
      assertFollowersAnswered(answers);
    }
  }

  @Test
  void aWaitLongerThanTheHeaderReadTimeoutIsNoSlowHead() throws Exception {
    // the held heads arrived whole: only the response timeout (30 s) bounds their wait
    fx =
        FirstRequests.scripted(
            245, "headerReadMs: 300, upstreamResponseMs: 30000", "", FirstRequests.CLIENT_IP_TABLE);
    try (RawH2 h2 = new RawH2(fx.port)) {
      Map<Integer, RawH2.Frame> answers = openTogether(h2, "/slow?ms=1500");
      assertThat(answers.get(1).headers().status().toString()).isEqualTo("200");
      assertFollowersAnswered(answers);
    }
  }

  @Test
  void theWaitEndsWhenTheClientResetsTheFirstStream() throws Exception {
    fx = FirstRequests.scripted(239, 30_000, "", FirstRequests.CLIENT_IP_TABLE);
    try (RawH2 h2 = new RawH2(fx.port)) {
      open(h2, "/slow?ms=10000");
      h2.reset(1, 8); // CANCEL
      h2.flush();
      assertFollowersAnswered(h2.answers(FOLLOWERS, 400));
    }
    assertThat(fx.dataPlane.metrics().scrape())
        .contains(
            "limpet_http2_held_streams_total{outcome=\"first_ended\",virtual_service=\"web\"}"
                + " 19.0");
  }

  @Test
  void aWaitingStreamTheClientResetsLeavesTheQueue() throws Exception {
    fx = FirstRequests.scripted(242, 30_000, "", FirstRequests.CLIENT_IP_TABLE);
    try (RawH2 h2 = new RawH2(fx.port)) {
      open(h2, "/slow?ms=300");
      h2.reset(3, 8); // CANCEL
      h2.flush();
      List<Integer> others = new ArrayList<>(FirstRequests.streams(1, FirstRequests.COUNT));
      others.remove(Integer.valueOf(3));
      Map<Integer, RawH2.Frame> answers = h2.answers(others, 400);
      assertThat(answers).hasSize(FirstRequests.COUNT - 1);
      assertThat(FirstRequests.backends(answers)).hasSize(1);
    }
    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_http2_held_streams_total{outcome=\"reset\",virtual_service=\"web\"} 1.0")
        .contains(
            "limpet_http2_held_streams_total{outcome=\"response\",virtual_service=\"web\"} 18.0");
  }

  /** Stream 1 for {@code firstPath}, then the followers for {@code /}, in one write. */
  private static void open(RawH2 h2, String firstPath) throws Exception {
    h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get(firstPath));
    for (int stream : FOLLOWERS)
      h2.headers(stream, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/"));
    h2.flush();
  }

  /** Opens the streams and reads the answers of all of them. */
  private static Map<Integer, RawH2.Frame> openTogether(RawH2 h2, String firstPath)
      throws Exception {
    open(h2, firstPath);
    return h2.answers(FirstRequests.streams(1, FirstRequests.COUNT), 400);
  }

  private static void assertFollowersAnswered(Map<Integer, RawH2.Frame> answers) {
    for (int stream : FOLLOWERS) assertThat(answers.get(stream)).as("stream " + stream).isNotNull();
    for (int stream : FOLLOWERS)
      assertThat(answers.get(stream).headers().status().toString()).isEqualTo("200");
  }
}
