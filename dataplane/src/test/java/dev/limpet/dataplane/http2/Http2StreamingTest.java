package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.Curl;
import dev.limpet.dataplane.testing.DataPlaneProcess;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.PatternStream;
import dev.limpet.testsupport.Backend;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/2 flow control carries bodies far larger than the data plane's memory through one stream
 * each way: the data plane runs in its own process with a 40 MB heap and 32 MB of direct memory, as
 * in the HTTP/1.1 streaming test; the stream's window follows what the server takes (the stream's
 * channel reads only as the relay asks) and the server's reads follow the stream's writability.
 */
@Timeout(180)
class Http2StreamingTest {
  private static final long SIZE = 100L * 1024 * 1024;

  @Test
  void hundredMegabytesEachWayThroughOneStreamAndASmallHeap(@TempDir Path dir) throws Exception {
    int port = FreePorts.next();
    Path upload = dir.resolve("upload");
    try (InputStream pattern = new PatternStream(SIZE)) {
      Files.copy(pattern, upload);
    }
    try (Backend backend = Backend.start("big", "127.0.0.62")) {
      Path config = dir.resolve("limpet.yaml");
      Files.writeString(
          config,
          """
          virtualServices:
            - {name: big, address: 127.0.0.1, port: %d, pool: big, http2: {enabled: true}}
          pools:
            - name: big
              servers: [{ip: %s, port: %d}]
          """
              .formatted(port, backend.ip(), backend.port()));
      try (DataPlaneProcess dp =
          DataPlaneProcess.start(config, port, "-Xmx40m", "-XX:MaxDirectMemorySize=32m")) {
        String base = "http://127.0.0.1:" + port;
        Curl.Result echoed =
            Curl.run(
                "--http2-prior-knowledge",
                "--max-time",
                "120",
                "-H",
                "Expect:",
                "-T",
                upload.toString(),
                base + "/echo");
        assertThat(echoed.version()).isEqualTo("2");
        assertThat(echoed.status()).isEqualTo(200);
        assertThat(echoed.body()).isEqualTo(SIZE + " " + PatternStream.checksum(SIZE));

        Path download = dir.resolve("download");
        Curl.Result downloaded =
            Curl.run(
                "--http2-prior-knowledge",
                "--max-time",
                "120",
                "-o",
                download.toString(),
                base + "/bytes?n=" + SIZE);
        assertThat(downloaded.version()).isEqualTo("2");
        assertThat(downloaded.status()).isEqualTo(200);
        assertThat(Files.size(download)).isEqualTo(SIZE);
        assertThat(dp.alive()).as(dp.log()).isTrue();
        assertThat(dp.log()).doesNotContain("OutOfMemoryError");
      }
    }
  }
}
