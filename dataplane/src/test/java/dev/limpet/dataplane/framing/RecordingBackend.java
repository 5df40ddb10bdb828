package dev.limpet.dataplane.framing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on a loopback address that records the exact bytes it receives and answers
 * every request it reads with {@code 200} and the request line as the body, keeping the connection
 * open. It reads requests the way a lenient server would (Transfer-Encoding containing "chunked"
 * wins over Content-Length), so a request smuggled past the proxy shows up as a request of its own.
 * A {@link Reply} replaces the answer, for the tests of what servers send back.
 */
public final class RecordingBackend implements AutoCloseable {
  /** What the backend sends for a request line. */
  public interface Reply {
    byte[] to(String requestLine);
  }

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final List<String> requestLines = new ArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger closedConnections = new AtomicInteger();
  private volatile Reply reply = RecordingBackend::echo;

  public RecordingBackend(String ip) throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(ip, 0), 64);
    threads.execute(this::accept);
  }

  public String ip() {
    return server.getInetAddress().getHostAddress();
  }

  public int port() {
    return server.getLocalPort();
  }

  public void reply(Reply reply) {
    this.reply = reply;
  }

  /** Every byte received since the last {@link #reset}, as ISO-8859-1 text. */
  public synchronized String received() {
    return received.toString(StandardCharsets.ISO_8859_1);
  }

  /** The request lines of the requests read whole (head and body) since the last {@link #reset}. */
  public synchronized List<String> requestLines() {
    return List.copyOf(requestLines);
  }

  /** Connections accepted, and of those the ones the proxy closed, since the start. */
  public int connections() {
    return connections.get();
  }

  public int closedConnections() {
    return closedConnections.get();
  }

  public synchronized void reset() {
    received.reset();
    requestLines.clear();
  }

  /** The default answer: 200 with the request line as the body. */
  public static byte[] echo(String requestLine) {
    byte[] body = requestLine.getBytes(StandardCharsets.ISO_8859_1);
    String head = "HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n";
    byte[] out = new byte[head.length() + body.length];
    System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, out, 0, head.length());
    System.arraycopy(body, 0, out, head.length(), body.length);
    return out;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        connections.incrementAndGet();
        threads.execute(() -> serve(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      socket.setSoTimeout(30_000);
      Reader in = new Reader(socket.getInputStream());
      OutputStream out = socket.getOutputStream();
      for (String line; (line = in.line()) != null; ) {
        if (line.isEmpty()) continue;
        List<String> fields = new ArrayList<>();
        for (String f; (f = in.line()) != null && !f.isEmpty(); ) fields.add(f);
        readBody(in, fields);
        synchronized (this) {
          requestLines.add(line);
        }
        out.write(reply.to(line));
        out.flush();
      }
    } catch (IOException | RuntimeException e) {
      // the proxy closed the connection, or sent what this server cannot read: what arrived is
      // recorded
    } finally {
      closedConnections.incrementAndGet();
    }
  }

  /** Reads a body whole; throws when the stream ends first or the chunking is unreadable. */
  private static void readBody(Reader in, List<String> fields) throws IOException {
    String te = field(fields, "transfer-encoding");
    String cl = field(fields, "content-length");
    if (te != null && te.toLowerCase(Locale.ROOT).contains("chunked")) {
      while (true) {
        int n = Integer.parseInt(in.wholeLine().split(";")[0].trim(), 16);
        if (n == 0) {
          while (!in.wholeLine().isEmpty()) {
            // trailers
          }
          return;
        }
        in.skip(n);
        in.wholeLine();
      }
    } else if (cl != null) {
      in.skip(Long.parseLong(cl.trim()));
    }
  }

  private static String field(List<String> fields, String name) {
    for (String f : fields) {
      int colon = f.indexOf(':');
      if (colon > 0 && f.substring(0, colon).trim().equalsIgnoreCase(name))
        return f.substring(colon + 1).trim();
    }
    return null;
  }

  /** Reads lines and bytes, recording every byte read. */
  private final class Reader {
    private final InputStream in;

    Reader(InputStream in) {
      this.in = in;
    }

    int read() throws IOException {
      int b = in.read();
      if (b >= 0)
        synchronized (RecordingBackend.this) {
          received.write(b);
        }
      return b;
    }

    /** A line without its LF (and CR); null at the end of the stream. */
    String line() throws IOException {
      StringBuilder sb = new StringBuilder();
      for (int b; (b = read()) != '\n'; ) {
        if (b < 0) return null;
        sb.append((char) b);
      }
      int end = sb.length();
      if (end > 0 && sb.charAt(end - 1) == '\r') sb.setLength(end - 1);
      return sb.toString();
    }

    /** A line inside a message: the stream may not end before it. */
    String wholeLine() throws IOException {
      String line = line();
      if (line == null) throw new EOFException("closed inside a message");
      return line;
    }

    void skip(long n) throws IOException {
      for (long i = 0; i < n; i++) if (read() < 0) throw new EOFException("closed inside a body");
    }
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    threads.shutdownNow();
  }
}
