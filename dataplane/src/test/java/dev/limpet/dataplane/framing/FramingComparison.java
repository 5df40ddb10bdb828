package dev.limpet.dataplane.framing;

import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.testing.FreePorts;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The framing corpus side by side: the same requests through HAProxy and through Limpet, both in
 * front of one {@link RecordingBackend}, and a Markdown table of what each client got and what
 * reached the server. Run by {@code bench/framing-vs-haproxy.sh}; the argument is the haproxy
 * binary. A case where Limpet forwards a request HAProxy refuses is flagged.
 */
public final class FramingComparison {
  private FramingComparison() {}

  /** What one proxy did with one case. */
  record Verdict(String client, List<String> forwarded, int receivedBytes) {
    boolean accepted() {
      return !forwarded.isEmpty();
    }

    String backend() {
      if (accepted()) return String.join(" + ", forwarded);
      return receivedBytes == 0
          ? "nothing"
          : "aborted (" + receivedBytes + " bytes, no whole request)";
    }
  }

  public static void main(String[] args) throws Exception {
    String haproxyBinary = args.length > 0 ? args[0] : "haproxy";
    try (RecordingBackend backend = new RecordingBackend("127.0.0.181")) {
      int haproxyPort = FreePorts.next();
      Process haproxy = startHaproxy(haproxyBinary, haproxyPort, backend);
      int limpetPort = FreePorts.next();
      DataPlane limpet = new DataPlane(1, CookieKeySet.random());
      try {
        limpet.apply(FramingCorpusTest.config(limpetPort, backend));
        awaitListening(haproxyPort);
        System.out.println(
            "| case | HAProxy: client | HAProxy: backend received | Limpet: client | Limpet: backend received | |");
        System.out.println("|---|---|---|---|---|---|");
        int lenient = 0;
        int mismatches = 0;
        for (FramingCase c : FramingCorpus.CASES) {
          Verdict h = run(haproxyPort, c, backend);
          Verdict l = run(limpetPort, c, backend);
          String compare =
              h.accepted() == l.accepted()
                  ? "same"
                  : l.accepted() ? "**Limpet more lenient**" : "Limpet stricter";
          if (l.accepted() && !h.accepted()) lenient++;
          if (!l.client().equals(c.statuses())) mismatches++;
          System.out.printf(
              "| %s | %s | %s | %s | %s | %s |%n",
              c.name(), h.client(), h.backend(), l.client(), l.backend(), compare);
        }
        System.out.printf(
            "%n%d cases; Limpet more lenient than HAProxy in %d; Limpet differing from the corpus"
                + " expectation in %d.%n",
            FramingCorpus.CASES.size(), lenient, mismatches);
      } finally {
        limpet.close();
        haproxy.destroy();
        haproxy.waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  private static Verdict run(int port, FramingCase c, RecordingBackend backend)
      throws InterruptedException {
    backend.reset();
    FramingClient.Answer answer = FramingClient.exchange(port, c.request());
    settle(backend);
    String client = answer.statuses().isEmpty() ? "no response" : answer.statuses();
    if (!answer.closed()) client += ", kept open";
    return new Verdict(client, backend.requestLines(), backend.received().length());
  }

  /** Waits (at most 1 s) until the backend has received nothing new for 200 ms. */
  private static void settle(RecordingBackend backend) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    int last = -1;
    while (System.nanoTime() < deadline) {
      int now = backend.received().length();
      if (now == last) return;
      last = now;
      Thread.sleep(200);
    }
  }

  /** HAProxy with its defaults (HTTP mode, keep-alive, connection reuse), in the foreground. */
  private static Process startHaproxy(String binary, int port, RecordingBackend backend)
      throws IOException {
    Path config = Files.createTempFile("framing-haproxy", ".cfg");
    Files.writeString(
        config,
        """
        defaults
          mode http
          timeout connect 2s
          timeout client 5s
          timeout server 5s
        frontend web
          bind 127.0.0.1:%d
          default_backend web
        backend web
          server b %s:%d
        """
            .formatted(port, backend.ip(), backend.port()));
    return new ProcessBuilder(binary, "-db", "-f", config.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
  }

  private static void awaitListening(int port) throws InterruptedException {
    for (int i = 0; i < 50; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException e) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("haproxy did not start listening on " + port);
  }
}
