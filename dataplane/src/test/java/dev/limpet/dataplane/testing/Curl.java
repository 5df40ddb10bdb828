package dev.limpet.dataplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * curl (Debian's, with nghttp2) as a real HTTP/2 client: h2c with prior knowledge, which the JDK's
 * client does not do, and requests whose SNI and {@code :authority} differ. Bounded: {@code
 * --max-time} (10 s unless the arguments set another), and the process is killed if it outlives 150
 * s.
 */
public final class Curl {
  /** What curl printed: the body, then a last line {@code <http version> <status>}. */
  public record Result(String body, String version, int status) {}

  private Curl() {}

  public static Result run(String... arguments) {
    List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10"));
    command.addAll(List.of(arguments));
    command.addAll(List.of("-w", "\n%{http_version} %{http_code}"));
    try {
      Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = curl.getInputStream().readAllBytes();
      if (!curl.waitFor(150, TimeUnit.SECONDS)) {
        curl.destroyForcibly();
        throw new IllegalStateException("curl did not end: " + command);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      int last = text.lastIndexOf('\n');
      String[] tail = text.substring(last + 1).split(" ");
      return new Result(text.substring(0, last), tail[0], Integer.parseInt(tail[1].trim()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
