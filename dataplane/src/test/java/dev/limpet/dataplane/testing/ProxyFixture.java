package dev.limpet.dataplane.testing;

import dev.limpet.contract.ConfigException;
import dev.limpet.dataplane.DataPlane;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.tls.TlsProviders;
import dev.limpet.testsupport.Backend;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A data plane in this JVM with real backends on their own loopback addresses (127.0.0.{first},
 * {first+1}, ...). Config templates name backends as {@code ${b0.ip}}, {@code ${b0.port}}, and the
 * listener port as {@code ${port}}.
 */
public final class ProxyFixture implements AutoCloseable {
  public final List<Backend> backends = new ArrayList<>();
  public final DataPlane dataPlane;
  public final int port = FreePorts.next();

  public ProxyFixture(int eventLoops, int firstAddress, String... backendNames) throws IOException {
    this(eventLoops, firstAddress, CookieKeySet.random(), backendNames);
  }

  public ProxyFixture(int eventLoops, int firstAddress, CookieKeySet keys, String... backendNames)
      throws IOException {
    this(eventLoops, firstAddress, keys, TlsProviders.select("auto"), backendNames);
  }

  /** With TLS through {@code tls} (OpenSSL or the JDK). */
  public ProxyFixture(int eventLoops, int firstAddress, SslProvider tls, String... backendNames)
      throws IOException {
    this(eventLoops, firstAddress, CookieKeySet.random(), tls, backendNames);
  }

  private ProxyFixture(
      int eventLoops, int firstAddress, CookieKeySet keys, SslProvider tls, String... backendNames)
      throws IOException {
    for (int i = 0; i < backendNames.length; i++)
      backends.add(Backend.start(backendNames[i], "127.0.0." + (firstAddress + i)));
    dataPlane = new DataPlane(eventLoops, keys, null, tls);
  }

  public ProxyFixture apply(String template) throws ConfigException {
    dataPlane.apply(render(template));
    return this;
  }

  public String render(String template) {
    String text = template.replace("${port}", Integer.toString(port));
    for (int i = 0; i < backends.size(); i++) {
      text =
          text.replace("${b" + i + ".ip}", backends.get(i).ip())
              .replace("${b" + i + ".port}", Integer.toString(backends.get(i).port()));
    }
    return text;
  }

  /**
   * A standalone example configuration as shipped in {@code dataplane/examples/<name>.yaml}, its
   * demo backends ({@code 127.0.0.2-4:8081}) and listener port replaced by this fixture's.
   */
  public String example(String name) throws IOException {
    String text = java.nio.file.Files.readString(java.nio.file.Path.of("examples", name + ".yaml"));
    for (int i = 0; i < backends.size(); i++)
      text =
          text.replace(
              "ip: 127.0.0." + (i + 2) + ", port: 8081",
              "ip: " + backends.get(i).ip() + ", port: " + backends.get(i).port());
    return text.replaceAll("port: 80\\d\\d, pool:", "port: " + port + ", pool:");
  }

  /** A pool entry list of every backend, for templates: {@code servers: ${servers}}. */
  public String servers() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < backends.size(); i++) {
      Backend b = backends.get(i);
      if (i > 0) sb.append(", ");
      sb.append("{name: ")
          .append(b.name())
          .append(", ip: ")
          .append(b.ip())
          .append(", port: ")
          .append(b.port())
          .append(", headerValue: ")
          .append(b.name())
          .append("}");
    }
    return sb.append("]").toString();
  }

  public Client client() {
    return new Client(port);
  }

  public Backend backend(String name) {
    return backends.stream().filter(b -> b.name().equals(name)).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    dataPlane.close();
    backends.forEach(Backend::close);
  }
}
