package dev.limpet.dataplane.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What the allocation harnesses take from the anchors run: the data-plane configuration {@code
 * bench/limpet-proxy.sh} renders for a variant, and the requests of the anchors' {@code
 * clients.lua} (1,000 clients round-robin: {@code True-Client-IP}, {@code Cookie}).
 */
final class AnchorsSetup {
  static final int CLIENTS = 1_000;

  private AnchorsSetup() {}

  /** The configuration {@code bench/limpet-proxy.sh} renders for {@code variant}. */
  static String render(String variant, int port, List<AnchorsBackend> backends)
      throws IOException, InterruptedException {
    return render(variant, port, backends, "");
  }

  /**
   * The same, with {@code extraVs} as its {@code LIMPET_EXTRA_VS} (more virtual services on pool
   * {@code be}, YAML lines).
   */
  static String render(String variant, int port, List<AnchorsBackend> backends, String extraVs)
      throws IOException, InterruptedException {
    Path script = Path.of(System.getenv().getOrDefault("LIMPET_PROXY_SH", "bench/limpet-proxy.sh"));
    if (!Files.isRegularFile(script))
      throw new IllegalStateException(
          script.toAbsolutePath()
              + " not found: run from the repository root or set LIMPET_PROXY_SH");
    Path runDir = Files.createTempDirectory("limpet-alloc");
    try {
      StringBuilder list = new StringBuilder();
      for (AnchorsBackend b : backends) {
        if (list.length() > 0) list.append(',');
        list.append(b.ip).append(':').append(b.port());
      }
      ProcessBuilder pb = new ProcessBuilder("bash", script.toString());
      pb.environment().put("RUNDIR", runDir.toString());
      pb.environment().put("PROXY_VARIANT", variant);
      pb.environment().put("PROXY_PORT", Integer.toString(port));
      pb.environment().put("BACKENDS", list.toString());
      pb.environment().put("PROXY_THREADS", "1");
      pb.environment().put("LIMPET_RENDER_ONLY", "1");
      pb.environment().put("LIMPET_EXTRA_VS", extraVs);
      pb.redirectError(ProcessBuilder.Redirect.INHERIT);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0)
        throw new IllegalStateException(script + " failed for variant " + variant);
      return out;
    } finally {
      try (var files = Files.list(runDir)) {
        for (Path f : (Iterable<Path>) files::iterator) Files.delete(f);
      }
      Files.delete(runDir);
    }
  }

  /**
   * Client k's request of the anchors' clients.lua, for {@code backends} servers named s1…sN.
   *
   * @param extraHeaders field lines (each ending in CRLF) added after the cookie, or ""
   */
  static byte[][] requests(int backends, String extraHeaders) {
    Random random = new Random(4242);
    byte[][] out = new byte[CLIENTS][];
    for (int k = 0; k < CLIENTS; k++) {
      String srv = "s" + (k % backends + 1);
      StringBuilder hex = new StringBuilder();
      for (int j = 0; j < 8; j++) hex.append(String.format("%04X", random.nextInt(65_536)));
      String request =
          "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nTrue-Client-IP: 198.18."
              + (k / 250)
              + "."
              + (k % 250 + 1)
              + "\r\nCookie: SRV="
              + srv
              + "; JSESSIONID="
              + hex
              + "."
              + srv
              + "\r\n"
              + extraHeaders
              + "\r\n";
      out[k] = request.getBytes(StandardCharsets.US_ASCII);
    }
    return out;
  }
}
