package dev.limpet.dataplane.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A real TLS client that keeps its TLS session from one connection to the next and resumes it when
 * it can: {@code openssl s_client} with a session file, a JDK socket or the JDK HttpClient sharing
 * one SSLContext (whose session cache is keyed by host and port). Each visit is a new connection
 * with one GET.
 */
public interface ResumingTlsClient {
  /** What one connection saw. */
  record Visit(String backend, boolean resumed) {}

  /**
   * Connects to 127.0.0.1:{@code port}, sends one GET and closes.
   *
   * @return the backend that answered; {@code resumed} is only known for openssl (else false)
   */
  Visit visit(int port);

  /** {@code openssl s_client} with {@code flags} (e.g. {@code -tls1_3}). */
  static ResumingTlsClient openssl(Path sessionFile, String... flags) {
    return new Openssl(sessionFile, List.of(flags));
  }

  /** A JDK socket limited to {@code protocol}. */
  static ResumingTlsClient jdkSocket(SSLContext context, String protocol) {
    return port -> {
      try (TlsClient client = new TlsClient(context, port, null, protocol)) {
        return new Visit(backendIn(client.get("/", "tls.example.com")), false);
      }
    };
  }

  /** A new JDK HttpClient per visit (so a new connection), all on one SSLContext. */
  static ResumingTlsClient jdkHttpClient(SSLContext context) {
    return port -> {
      HttpClient http =
          HttpClient.newBuilder()
              .sslContext(context)
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/"))
                    .timeout(Duration.ofSeconds(10))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        return new Visit(response.headers().firstValue("x-backend").orElseThrow(), false);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    };
  }

  /** The backend named in a test backend's answer (its {@code X-Backend} header). */
  static String backendIn(String response) {
    Matcher m = Pattern.compile("(?im)^x-backend: *(\\S+)").matcher(response);
    if (!m.find()) throw new AssertionError("no backend in: " + response);
    return m.group(1);
  }

  /** {@code openssl s_client}, its session kept in a file between runs. */
  final class Openssl implements ResumingTlsClient {
    private final Path sessionFile;
    private final List<String> flags;

    Openssl(Path sessionFile, List<String> flags) {
      this.sessionFile = sessionFile;
      this.flags = flags;
    }

    @Override
    public Visit visit(int port) {
      List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-ign_eof"));
      command.addAll(List.of("-connect", "127.0.0.1:" + port));
      command.addAll(flags);
      if (Files.exists(sessionFile)) command.addAll(List.of("-sess_in", sessionFile.toString()));
      command.addAll(List.of("-sess_out", sessionFile.toString()));
      try {
        Process openssl = new ProcessBuilder(command).redirectErrorStream(true).start();
        openssl
            .getOutputStream()
            .write(
                "GET / HTTP/1.1\r\nHost: tls.example.com\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
        openssl.getOutputStream().close();
        String out = new String(openssl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!openssl.waitFor(20, TimeUnit.SECONDS)) {
          openssl.destroyForcibly();
          throw new AssertionError("openssl s_client did not end: " + out);
        }
        return new Visit(backendIn(out), out.contains("Reused, TLS"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    @Override
    public String toString() {
      return "openssl s_client " + String.join(" ", flags);
    }
  }
}
