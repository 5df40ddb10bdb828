package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import dev.limpet.dataplane.testing.RawHttp;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The limits of an HTTP/2 connection against a real socket, frames written by hand: concurrent
 * streams, header list size, rapid reset (CVE-2023-44487) and CONTINUATION floods (CVE-2024-27316).
 * Each is counted in {@code limpet_http2_refusals}.
 */
@Timeout(60)
class Http2LimitsTest {
  private static final long REFUSED_STREAM = 7, ENHANCE_YOUR_CALM = 11;
  private static final int WINDOW_UPDATE = 8;

  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  private void start(String http2) throws Exception {
    fx = new ProxyFixture(2, 201, "a");
    fx.apply(Http2Documents.oneService(fx, http2, ""));
  }

  @Test
  void aStreamOverTheConcurrencyLimitIsRefused() throws Exception {
    start(", maxConcurrentStreams: 2");
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/slow?ms=2000"));
      h2.headers(3, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/slow?ms=2000"));
      h2.headers(5, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/"));
      h2.flush();
      RawH2.Frame refused = h2.answer(5, 20);
      assertThat(refused.type()).isEqualTo(RawH2.RST_STREAM);
      assertThat(refused.errorCode()).isEqualTo(REFUSED_STREAM);
      // the two under the limit are served
      assertThat(h2.answer(1, 20).headers().status().toString()).isEqualTo("200");
    }
    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_http2_refusals_total{error=\"REFUSED_STREAM\",frame=\"rst_stream\"} 1.0");
  }

  @Test
  void theConnectionWindowLeavesRoomForEveryStream() throws Exception {
    // at 65,535 bytes, one stream whose body is not read would stop every other stream's body
    start("");
    try (RawH2 h2 = new RawH2(fx.port)) {
      long opened = 0;
      for (int i = 0; i < 10 && opened == 0; i++) {
        RawH2.Frame frame = h2.read();
        if (frame == null) break;
        if (frame.type() == WINDOW_UPDATE && frame.streamId() == 0)
          opened = java.nio.ByteBuffer.wrap(frame.payload()).getInt() & 0x7fffffffL;
      }
      assertThat(65_535 + opened).isEqualTo(16L * 1024 * 1024);
    }
  }

  @Test
  void aHeaderListOverTheLimitGets431() throws Exception {
    start(", maxHeaderListBytes: 1024");
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/", "x-big", "v".repeat(900)));
      h2.flush();
      RawH2.Frame answer = h2.answer(1, 20);
      assertThat(answer.type()).isEqualTo(RawH2.HEADERS);
      assertThat(answer.headers().status().toString()).isEqualTo("431");
      // the connection goes on
      h2.headers(3, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/"));
      h2.flush();
      assertThat(h2.answer(3, 20).headers().status().toString()).isEqualTo("200");
    }
    assertThat(fx.backend("a").requests()).isEqualTo(1);
  }

  @Test
  void rapidResetEndsTheConnectionBeforeThousandsOfExchangesStart() throws Exception {
    start("");
    int streams = 2_000;
    RawH2.Frame goAway = null;
    try (RawH2 h2 = new RawH2(fx.port)) {
      try {
        for (int i = 0; i < streams; i++) {
          int stream = 1 + 2 * i;
          h2.headers(stream, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/"));
          h2.reset(stream, 8); // CANCEL
          if (i % 50 == 49) h2.flush();
        }
        h2.flush();
      } catch (IOException closed) {
        // the server ended the connection while the flood went on: what the test expects
      }
      for (int i = 0; i < 5_000 && goAway == null; i++) {
        RawH2.Frame f = h2.read();
        if (f == null) break;
        if (f.type() == RawH2.GOAWAY) goAway = f;
      }
    }
    assertThat(goAway).isNotNull();
    assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
    // far fewer exchanges reached the server than streams were opened
    assertThat(fx.backend("a").requests()).isLessThan(400);
    assertThat(fx.dataPlane.metrics().scrape())
        .contains("limpet_http2_refusals_total{error=\"ENHANCE_YOUR_CALM\",frame=\"goaway\"} 1.0");
  }

  @Test
  void aContinuationFloodClosesTheConnection() throws Exception {
    start("");
    boolean writeFailed = false;
    RawH2.Frame goAway = null;
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, 0, RawH2.get("/")); // no END_HEADERS: CONTINUATION frames follow
      try {
        // 200 frames of 1 KiB each: far over the 16 KiB header list limit, never END_HEADERS
        for (int i = 0; i < 200; i++)
          h2.frame(RawH2.CONTINUATION, 0, 1, RawH2.block("x-" + i, "v".repeat(1000)));
        h2.flush();
      } catch (IOException closed) {
        writeFailed = true;
      }
      for (int i = 0; i < 100 && goAway == null; i++) {
        RawH2.Frame f = h2.read();
        if (f == null) break;
        if (f.type() == RawH2.GOAWAY) goAway = f;
      }
      assertThat(writeFailed || goAway != null).as("the server ended the connection").isTrue();
      assertThat(h2.read()).as("nothing after the GOAWAY").isNull();
    }
    assertThat(fx.backend("a").requests()).isZero();
  }

  @Test
  void framesThatOpenNoStreamDoNotKeepAnIdleConnection() throws Exception {
    fx = new ProxyFixture(2, 231, "a");
    fx.apply(Http2Documents.oneService(fx, "", ", timeouts: {clientIdleMs: 300}"));
    try (RawH2 h2 = new RawH2(fx.port)) {
      RawH2.Frame goAway = null;
      // every 100 ms a SETTINGS or a WINDOW_UPDATE, and a PING: for up to 3 s, ten idle timeouts
      for (int i = 0; i < 30 && goAway == null; i++) {
        if (i % 2 == 0) h2.frame(RawH2.SETTINGS, 0, 0, new byte[0]);
        else h2.windowUpdate(0, 1);
        h2.ping(i);
        h2.flush();
        // the answers (ACKs), then whatever comes in the 100 ms before the next frames
        for (int f = 0; f < 20 && goAway == null; f++) {
          RawH2.Frame frame = h2.readWithin(100);
          if (frame == null) break;
          if (frame.type() == RawH2.GOAWAY) goAway = frame;
        }
      }
      assertThat(goAway).as("GOAWAY after clientIdleMs without a stream").isNotNull();
      assertThat(goAway.errorCode()).isZero();
    }
  }

  @Test
  void aPathOverTheUriLimitGets414AsAnHttp1RequestLineDoes() throws Exception {
    fx = new ProxyFixture(2, 233, "a");
    fx.apply(Http2Documents.oneService(fx, "", ", limits: {maxUriBytes: 1024}"));
    String path = "/" + "a".repeat(2000);
    try (RawHttp http1 = new RawHttp(fx.port)) {
      assertThat(http1.send("GET " + path + " HTTP/1.1\r\nHost: a\r\n\r\n").readUntilClosed())
          .startsWith("HTTP/1.1 414 ");
    }
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get(path));
      h2.flush();
      RawH2.Frame answer = h2.answer(1, 20);
      assertThat(answer.type()).isEqualTo(RawH2.HEADERS);
      assertThat(answer.headers().status().toString()).isEqualTo("414");
      // the limit is the URI's: a path under it goes through, on the same connection
      h2.headers(3, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/" + "a".repeat(1000)));
      h2.flush();
      assertThat(h2.answer(3, 20).headers().status().toString()).isEqualTo("200");
    }
    assertThat(fx.backend("a").requests()).isEqualTo(1);
  }

  @Test
  void anIdleConnectionEndsWithGoAwayButAStreamWaitingForItsServerKeepsIt() throws Exception {
    fx = new ProxyFixture(2, 204, "a");
    fx.apply(Http2Documents.oneService(fx, "", ", timeouts: {clientIdleMs: 300}"));
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/slow?ms=1000"));
      h2.flush();
      assertThat(h2.answer(1, 20).headers().status().toString()).isEqualTo("200");
      RawH2.Frame goAway = null;
      for (int i = 0; i < 20 && goAway == null; i++) {
        RawH2.Frame f = h2.read();
        if (f == null) break;
        if (f.type() == RawH2.GOAWAY) goAway = f;
      }
      assertThat(goAway).isNotNull();
      assertThat(goAway.errorCode()).isZero();
      assertThat(h2.read()).isNull();
    }
  }
}
