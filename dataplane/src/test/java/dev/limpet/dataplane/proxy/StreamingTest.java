package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.DataPlaneProcess;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.PatternStream;
import dev.limpet.testsupport.Backend;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies far larger than the data plane's memory stream through it: it runs in its own process with
 * a 40 MB heap and 32 MB of direct memory, and moves 100 MB each way.
 */
@Timeout(180)
class StreamingTest {
  private static final long SIZE = 100L * 1024 * 1024;

  @Test
  void hundredMegabytesEachWayThroughASmallHeap(@TempDir Path dir) throws Exception {
    int port = FreePorts.next();
    try (Backend backend = Backend.start("big", "127.0.0.61")) {
      Path config = dir.resolve("limpet.yaml");
      Files.writeString(
          config,
          """
          virtualServices:
            - {name: big, address: 127.0.0.1, port: %d, pool: big}
          pools:
            - name: big
              servers: [{ip: %s, port: %d}]
          """
              .formatted(port, backend.ip(), backend.port()));
      try (DataPlaneProcess dp =
          DataPlaneProcess.start(config, port, "-Xmx40m", "-XX:MaxDirectMemorySize=32m")) {
        Client client = new Client(port);

        HttpResponse<String> upload =
            client.send(
                client
                    .request("/echo")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new PatternStream(SIZE)))
                    .build());
        assertThat(upload.statusCode()).isEqualTo(200);
        assertThat(upload.body()).isEqualTo(SIZE + " " + PatternStream.checksum(SIZE));

        HttpResponse<InputStream> download =
            client.send(
                client.request("/bytes?n=" + SIZE).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long received = 0;
        try (InputStream in = download.body()) {
          byte[] buf = new byte[64 * 1024];
          for (int r; (r = in.read(buf)) > 0; ) received += r;
        }
        assertThat(received).isEqualTo(SIZE);
        assertThat(dp.alive()).as(dp.log()).isTrue();
        assertThat(dp.log()).doesNotContain("OutOfMemoryError");
      }
    }
  }
}
