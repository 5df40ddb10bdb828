package dev.limpet.dataplane.proxy;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend like the anchors' nginx for the allocation harnesses: 200 with a 100-byte body and
 * {@code X-Backend}, keep-alive, one thread per accepted connection. It counts the connections it
 * accepted, so a harness can tell how many server connections the data plane opened.
 */
final class AnchorsBackend implements AutoCloseable {
  /** Threads of the backends start with this: the harnesses leave them out of the counts. */
  static final String THREAD = "bench-backend";

  final String ip;
  private final ServerSocket server;
  private final byte[] response;
  private final List<Socket> accepted = new ArrayList<>();
  private final AtomicLong connections = new AtomicLong();

  AnchorsBackend(String name, int lastOctet) throws IOException {
    ip = "127.0.0." + lastOctet;
    server = new ServerSocket();
    server.bind(new InetSocketAddress(ip, 0), 64);
    response =
        ("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100\r\nX-Backend: "
                + name
                + "\r\n\r\n"
                + "x".repeat(99)
                + "\n")
            .getBytes(StandardCharsets.US_ASCII);
    Thread acceptor = new Thread(this::accept, THREAD + "-" + name);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  long connections() {
    return connections.get();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket s = server.accept();
        connections.incrementAndGet();
        synchronized (accepted) {
          accepted.removeIf(Socket::isClosed);
          accepted.add(s);
        }
        Thread t = new Thread(() -> serve(s), THREAD + "-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket s) {
    try (s) {
      s.setTcpNoDelay(true);
      InputStream in = new BufferedInputStream(s.getInputStream());
      OutputStream out = s.getOutputStream();
      while (true) {
        int length = BenchHttp.readHead(in, "request");
        if (length < -1) return; // the proxy closed the connection
        if (length > 0 && !BenchHttp.skip(in, length)) return;
        out.write(response);
        out.flush();
      }
    } catch (IOException e) {
      // the proxy or the harness closed the connection
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    synchronized (accepted) {
      for (Socket s : accepted) s.close();
    }
  }
}
