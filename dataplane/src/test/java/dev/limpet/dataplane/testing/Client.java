package dev.limpet.dataplane.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** A real HTTP client aimed at one proxy listener. */
public final class Client {
  private final HttpClient http;
  private final String base;

  public Client(int port) {
    this("127.0.0.1", port);
  }

  public Client(String host, int port) {
    this(
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build(),
        "http://" + host + ":" + port);
  }

  private Client(HttpClient http, String base) {
    this.http = http;
    this.base = base;
  }

  /** The same listener over HTTPS, trusting what {@code tls} trusts. */
  public Client https(SSLContext tls) {
    return https(tls, HttpClient.Version.HTTP_1_1);
  }

  /** The same listener over HTTPS, offering {@code version} in ALPN. */
  public Client https(SSLContext tls, HttpClient.Version version) {
    return new Client(
        HttpClient.newBuilder()
            .version(version)
            .connectTimeout(Duration.ofSeconds(5))
            .sslContext(tls)
            .build(),
        base.replaceFirst("^http:", "https:"));
  }

  public HttpResponse<String> get(String path, String... headers) {
    return send(request(path, headers).GET().build());
  }

  public HttpRequest.Builder request(String path, String... headers) {
    var b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20));
    for (int i = 0; i < headers.length; i += 2) b.header(headers[i], headers[i + 1]);
    return b;
  }

  public HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The backend that answered. */
  public static String backend(HttpResponse<?> response) {
    return response.headers().firstValue("x-backend").orElse("none");
  }
}
