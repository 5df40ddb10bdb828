package dev.limpet.dataplane.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A plain socket for requests no well-behaved client would send. */
public final class RawHttp implements AutoCloseable {
  private final Socket socket;

  public RawHttp(int port) {
    this("127.0.0.1", port);
  }

  public RawHttp(String localAddress, int port) {
    try {
      socket = new Socket();
      socket.bind(new InetSocketAddress(localAddress, 0));
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
      socket.setSoTimeout(10_000);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public RawHttp send(String text) {
    try {
      socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Everything the proxy sends until it closes the connection (or the read times out). */
  public String readUntilClosed() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[8192];
      for (int r; (r = in.read(buf)) > 0; ) out.write(buf, 0, r);
    } catch (IOException e) {
      // a reset or a timeout ends the read; what arrived before is the answer
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /** Reads until {@code marker} has arrived (bounded by the socket timeout). */
  public String readUntil(String marker) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      InputStream in = socket.getInputStream();
      while (!out.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
        int b = in.read();
        if (b < 0) break;
        out.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * One request on a new connection from {@code localAddress}; the name of the backend that
   * answered.
   */
  public static String backendFor(String localAddress, int port, String path, String... headers) {
    StringBuilder request =
        new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
    for (int i = 0; i < headers.length; i += 2)
      request.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    try (RawHttp raw = new RawHttp(localAddress, port)) {
      return backendOf(raw.send(request.append("\r\n").toString()).readUntilClosed());
    }
  }

  /** The {@code X-Backend} of a raw response, or "none". */
  public static String backendOf(String response) {
    for (String line : response.split("\r\n")) {
      if (line.isEmpty()) break;
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("x-backend:"))
        return line.substring(10).trim();
    }
    return "none";
  }

  /** How the peer ended the connection once everything was read: {@code FIN} or {@code RST}. */
  public String ending() {
    try {
      InputStream in = socket.getInputStream();
      while (in.read() >= 0) {
        // skip whatever is left
      }
      return "FIN";
    } catch (java.net.SocketException e) {
      return "RST";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
