package dev.limpet.dataplane.framing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Sends raw request bytes on a new connection and reads the answers until the peer closes. */
public final class FramingClient {
  private FramingClient() {}

  /** What the client got: the responses in order and whether the connection was closed. */
  public record Answer(List<Response> responses, boolean closed) {
    /** The status codes, space-separated ("" when none), as {@link FramingCase#statuses}. */
    public String statuses() {
      return String.join(" ", responses.stream().map(r -> Integer.toString(r.status())).toList());
    }
  }

  public record Response(int status, String head, String body) {}

  /** Sends {@code request} to {@code port} and reads until the proxy closes (at most 5 s). */
  public static Answer exchange(int port, String request) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      ByteArrayOutputStream in = new ByteArrayOutputStream();
      boolean closed = readUntilClosed(socket.getInputStream(), in);
      return new Answer(parse(in.toString(StandardCharsets.ISO_8859_1)), closed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean readUntilClosed(InputStream in, ByteArrayOutputStream out)
      throws IOException {
    byte[] buf = new byte[8192];
    try {
      for (int r; (r = in.read(buf)) >= 0; ) out.write(buf, 0, r);
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  /** Splits a byte stream into responses framed by Content-Length or chunked, else to the end. */
  public static List<Response> parse(String stream) {
    List<Response> responses = new ArrayList<>();
    int at = 0;
    while (at < stream.length()) {
      int headEnd = stream.indexOf("\r\n\r\n", at);
      if (headEnd < 0 || !stream.startsWith("HTTP/", at)) break;
      String head = stream.substring(at, headEnd + 2);
      int status = Integer.parseInt(head.substring(9, 12));
      int bodyStart = headEnd + 4;
      String length = field(head, "content-length");
      String te = field(head, "transfer-encoding");
      int bodyEnd;
      String body;
      if (te != null && te.equalsIgnoreCase("chunked")) {
        StringBuilder b = new StringBuilder();
        int p = bodyStart;
        while (true) {
          int eol = stream.indexOf("\r\n", p);
          if (eol < 0) return add(responses, status, head, b + "<truncated>");
          int size = Integer.parseInt(stream.substring(p, eol).split(";")[0].trim(), 16);
          if (size == 0) {
            p = stream.indexOf("\r\n\r\n", eol - 2) + 4;
            break;
          }
          if (eol + 2 + size > stream.length())
            return add(responses, status, head, b + "<truncated>");
          b.append(stream, eol + 2, eol + 2 + size);
          p = eol + 2 + size + 2;
        }
        bodyEnd = p;
        body = b.toString();
      } else if (length != null) {
        bodyEnd = Math.min(stream.length(), bodyStart + Integer.parseInt(length));
        body = stream.substring(bodyStart, bodyEnd);
      } else {
        bodyEnd = stream.length();
        body = stream.substring(bodyStart);
      }
      responses.add(new Response(status, head, body));
      at = bodyEnd;
    }
    return responses;
  }

  private static List<Response> add(List<Response> all, int status, String head, String body) {
    all.add(new Response(status, head, body));
    return all;
  }

  private static String field(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).toLowerCase(Locale.ROOT).equals(name))
        return line.substring(colon + 1).trim();
    }
    return null;
  }
}
