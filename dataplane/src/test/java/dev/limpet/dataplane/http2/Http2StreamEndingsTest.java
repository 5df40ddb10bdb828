package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
