package dev.limpet.dataplane.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.function.Consumer;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * A TLS client socket to a listener on 127.0.0.1, with the SNI name and protocols a test chooses,
 * that tells what the handshake gave (certificate, protocol, ALPN) and speaks raw HTTP/1.1.
 */
public final class TlsClient implements AutoCloseable {
  private final SSLSocket socket;

  /**
   * Connects and completes the handshake.
   *
   * @param sni null: no SNI is sent
   * @param protocols e.g. {@code TLSv1.3}; empty: the JDK's defaults
   */
  public TlsClient(SSLContext context, int port, String sni, String... protocols) {
    this(
        context,
        port,
        sni,
        parameters -> {
          if (protocols.length > 0) parameters.setProtocols(protocols);
        });
  }

  /**
   * Connects and completes the handshake, ALPN offering {@code http/1.1} unless {@code settings}
   * (which may also choose protocols and cipher suites) says otherwise.
   */
  public TlsClient(SSLContext context, int port, String sni, Consumer<SSLParameters> settings) {
    try {
      socket = (SSLSocket) context.getSocketFactory().createSocket();
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
      parameters.setApplicationProtocols(new String[] {"http/1.1"});
      // the name is checked by the test against the certificate it expects, not by the JDK
      parameters.setEndpointIdentificationAlgorithm(null);
      settings.accept(parameters);
      socket.setSSLParameters(parameters);
      socket.startHandshake();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The leaf certificate the server presented. */
  public X509Certificate peerCertificate() {
    try {
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The CN of the certificate the server presented. */
  public String peerName() {
    return peerCertificate().getSubjectX500Principal().getName().replaceFirst("^CN=", "");
  }

  public String protocol() {
    return socket.getSession().getProtocol();
  }

  public String cipherSuite() {
    return socket.getSession().getCipherSuite();
  }

  public String applicationProtocol() {
    return socket.getApplicationProtocol();
  }

  /** Sends a GET (keep-alive) and returns the response head and body. */
  public String get(String path, String host) {
    return exchange("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
  }

  /** Sends {@code request} as it is and returns the response head and body. */
  public String exchange(String request) {
    try {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return readResponse(socket.getInputStream());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** One response with a Content-Length body (what the test backends send). */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) throw new IOException("closed before the end of the response head");
      head.write(b);
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int length = 0;
    for (String line : text.split("\r\n"))
      if (line.toLowerCase().startsWith("content-length:"))
        length = Integer.parseInt(line.substring(15).trim());
    byte[] body = in.readNBytes(length);
    return text + new String(body, StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing a test socket: nothing to do
    }
  }
}
