package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What ends an HTTP/1.1 connection ends only the stream on HTTP/2: a script's {@code close_conn}
 * resets its stream while the connection's other streams go on; and a drain at shutdown ends the
 * connection with GOAWAY.
 */
@Timeout(60)
class Http2StreamEndingsTest {
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void closeConnResetsItsStreamAndTheConnectionGoesOn() throws Exception {
    fx = new ProxyFixture(1, 221, "a");
    fx.apply(
        Http2Documents.oneService(fx, "", ", dataScripts: [closer]")
            + """
            dataScripts:
              - name: closer
                events:
                  httpRequest: |
                    if avi.http.get_path() == "/close" then avi.http.close_conn() end
            """);
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/close"));
      h2.flush();
      RawH2.Frame closed = h2.answer(1, 20);
      assertThat(closed.type()).isEqualTo(RawH2.RST_STREAM);
      h2.headers(3, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/"));
      h2.flush();
      assertThat(h2.answer(3, 20).headers().status().toString()).isEqualTo("200");
    }
    assertThat(fx.backend("a").requests()).isEqualTo(1);
  }

  private static final long NO_ERROR = 0, CANCEL = 8;

  /** A POST whose body the script answers before it is read. */
  private static byte[] post(String length) {
    return RawH2.block(
        ":method",
        "POST",
        ":scheme",
        "http",
        ":path",
        "/echo",
        ":authority",
        "a",
        "content-length",
        length);
  }

  private void answersPostsEarly(String lua) throws Exception {
    fx.apply(
        Http2Documents.oneService(fx, "", ", dataScripts: [early]")
            + """
            dataScripts:
              - name: early
                events:
                  httpRequest: |
            """
            + "        "
            + lua
            + "\n");
  }

  /** The frames of stream {@code streamId} up to its RST_STREAM (or the end of 50 frames). */
  private static java.util.List<RawH2.Frame> streamUntilReset(RawH2 h2, int streamId)
      throws java.io.IOException {
    java.util.List<RawH2.Frame> frames = new java.util.ArrayList<>();
    for (int i = 0; i < 50; i++) {
      RawH2.Frame f = h2.read();
      if (f == null || f.type() == RawH2.GOAWAY) break;
      if (f.streamId() != streamId) continue;
      frames.add(f);
      if (f.type() == RawH2.RST_STREAM) break;
    }
    return frames;
  }

  @Test
  void anAnswerBeforeTheBodyEndsTheStreamWithNoErrorNotCancel() throws Exception {
    // RFC 9113 §8.1: a whole response while the request is still coming, then RST_STREAM(NO_ERROR)
    fx = new ProxyFixture(1, 235, "a");
    answersPostsEarly("if avi.http.method() == \"POST\" then avi.http.response(401) end");
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_HEADERS, post("100000"));
      h2.flush();
      java.util.List<RawH2.Frame> frames = streamUntilReset(h2, 1);
      assertThat(frames.get(0).headers().status().toString()).isEqualTo("401");
      RawH2.Frame last = frames.get(frames.size() - 1);
      assertThat(last.type()).isEqualTo(RawH2.RST_STREAM);
      assertThat(last.errorCode()).isEqualTo(NO_ERROR);
      assertThat(frames.get(frames.size() - 2).flags() & RawH2.END_STREAM)
          .as("the answer ended before the reset")
          .isEqualTo(RawH2.END_STREAM);
    }
    assertThat(fx.backend("a").requests()).isZero();
  }

  @Test
  void aClosingAnswerWaitingForTheClientsWindowIsSentWhole() throws Exception {
    // close_conn with an answer of 1000 bytes to a client that opened 100 bytes of window: the
    // rest goes once the client opens more, and only then does the stream end
    fx = new ProxyFixture(1, 237, "a");
    answersPostsEarly("avi.http.close_conn() avi.http.response(200, {}, string.rep(\"x\", 1000))");
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.setting(0x4, 100); // SETTINGS_INITIAL_WINDOW_SIZE
      h2.headers(1, RawH2.END_HEADERS, post("5000"));
      h2.flush();
      int received = 0;
      boolean ended = false, opened = false;
      RawH2.Frame reset = null;
      for (int i = 0; i < 50 && reset == null; i++) {
        RawH2.Frame f = h2.read();
        if (f == null || f.type() == RawH2.GOAWAY) break;
        if (f.streamId() != 1) continue;
        if (f.type() == RawH2.RST_STREAM) reset = f;
        if (f.type() != RawH2.DATA) continue;
        received += f.payload().length;
        ended |= (f.flags() & RawH2.END_STREAM) != 0;
        if (received >= 100 && !opened) {
          opened = true;
          h2.windowUpdate(1, 10_000);
          h2.flush();
        }
      }
      assertThat(received).isEqualTo(1000);
      assertThat(ended).isTrue();
      assertThat(reset).isNotNull();
      assertThat(reset.errorCode()).isEqualTo(NO_ERROR);
    }
    assertThat(fx.backend("a").requests()).isZero();
  }

  @Test
  void threeHundredEarlyAnswersDoNotCountAsResets() throws Exception {
    // Netty ends a connection whose server sends over 200 resets in 30 s (CVE-2025-55163): the
    // proxy's own NO_ERROR resets after an early answer must not end a busy, honest client's
    // connection, nor do the STREAM_CLOSED resets answering body parts already in flight
    fx = new ProxyFixture(1, 239, "a");
    answersPostsEarly("if avi.http.method() == \"POST\" then avi.http.response(413) end");
    try (RawH2 h2 = new RawH2(fx.port)) {
      for (int i = 0; i < 300; i++) {
        int stream = 1 + 2 * i;
        h2.headers(stream, RawH2.END_HEADERS, post("100000"));
        h2.flush();
        java.util.List<RawH2.Frame> frames = streamUntilReset(h2, stream);
        assertThat(frames).as("stream %d", stream).isNotEmpty();
        assertThat(frames.get(0).headers().status().toString()).isEqualTo("413");
        assertThat(frames.get(frames.size() - 1).type()).isEqualTo(RawH2.RST_STREAM);
        // a body part the client had sent before it read the answer
        h2.frame(RawH2.DATA, 0, stream, new byte[10]);
      }
      h2.headers(601, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/"));
      h2.flush();
      RawH2.Frame answer = h2.answer(601, 700);
      assertThat(answer.type()).as("no GOAWAY: the connection goes on").isEqualTo(RawH2.HEADERS);
      assertThat(answer.headers().status().toString()).isEqualTo("200");
    }
  }

  @Test
  void aDrainLetsAStreamUnderWayFinishItsAnswer() throws Exception {
    fx = new ProxyFixture(1, 243, "a");
    fx.apply(Http2Documents.oneService(fx, "", ""));
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/slow?ms=700"));
      h2.flush();
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> fx.backend("a").requests() == 1);
      CompletableFuture<Void> drained =
          CompletableFuture.runAsync(
              () -> {
                try {
                  fx.dataPlane.drain(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      RawH2.Frame goAway = null, answer = null;
      boolean ended = false;
      for (int i = 0; i < 20 && !ended; i++) {
        RawH2.Frame f = h2.read();
        if (f == null) break;
        if (f.type() == RawH2.GOAWAY) goAway = f;
        if (f.streamId() != 1) continue;
        if (f.type() == RawH2.HEADERS) answer = f;
        ended =
            (f.type() == RawH2.DATA || f.type() == RawH2.HEADERS)
                && (f.flags() & RawH2.END_STREAM) != 0;
      }
      assertThat(goAway).isNotNull();
      assertThat(answer).as("the stream's answer came after the GOAWAY").isNotNull();
      assertThat(answer.headers().status().toString()).isEqualTo("200");
      assertThat(ended).isTrue();
      drained.get(15, TimeUnit.SECONDS);
    }
  }

  @Test
  void aDrainEndsTheConnectionWithGoAway() throws Exception {
    fx = new ProxyFixture(1, 222, "a");
    fx.apply(Http2Documents.oneService(fx, "", ""));
    try (RawH2 h2 = new RawH2(fx.port)) {
      h2.headers(1, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get("/"));
      h2.flush();
      assertThat(h2.answer(1, 20).headers().status().toString()).isEqualTo("200");
      CompletableFuture<Void> drained =
          CompletableFuture.runAsync(
              () -> {
                try {
                  fx.dataPlane.drain(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              });
      RawH2.Frame goAway = null;
      for (int i = 0; i < 20 && goAway == null; i++) {
        RawH2.Frame f = h2.read();
        if (f == null) break;
        if (f.type() == RawH2.GOAWAY) goAway = f;
      }
      assertThat(goAway).isNotNull();
      assertThat(goAway.errorCode()).isZero();
      assertThat(h2.read()).isNull();
      drained.get(15, TimeUnit.SECONDS);
    }
  }
}
