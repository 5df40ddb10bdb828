package dev.limpet.dataplane.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One port in front of an HTTP/1.1 server and an h2c server, as an application that serves both on
 * one port does (cmux): a connection that opens with the HTTP/2 preface goes to the h2c server, any
 * other to the HTTP/1.1 one. Lets the proxy's HTTP/1.1 traffic and a gRPC health monitor reach "the
 * same server".
 */
public final class H2cSplitter implements AutoCloseable {
  private static final byte[] PREFACE_START = "PRI ".getBytes(StandardCharsets.US_ASCII);
  private static final int SNIFF_TIMEOUT_MS = 5_000;

  private final ServerSocket server;
  private final InetSocketAddress http1;
  private final InetSocketAddress h2c;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  public H2cSplitter(InetSocketAddress listen, InetSocketAddress http1, InetSocketAddress h2c)
      throws IOException {
    this.server = new ServerSocket();
    server.bind(listen, 128);
    this.http1 = http1;
    this.h2c = h2c;
    Thread acceptor = new Thread(this::accept, "h2c-splitter-" + listen);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        sockets.add(client);
        Thread t = new Thread(() -> route(client), "h2c-splitter-route");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        // the splitter is closing
      }
    }
  }

  /** Reads the first bytes (bounded in time), connects where they belong and relays both ways. */
  private void route(Socket client) {
    try {
      client.setSoTimeout(SNIFF_TIMEOUT_MS);
      byte[] first = client.getInputStream().readNBytes(PREFACE_START.length);
      client.setSoTimeout(0); // relayed connections idle as long as their ends keep them
      Socket upstream = new Socket();
      sockets.add(upstream);
      upstream.connect(Arrays.equals(first, PREFACE_START) ? h2c : http1, 2_000);
      upstream.getOutputStream().write(first);
      pump(upstream, client);
      pump(client, upstream);
    } catch (IOException e) {
      close(client);
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException e) {
                // one side closed
              } finally {
                close(from);
                close(to);
              }
            },
            "h2c-splitter-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void close(java.io.Closeable closeable) {
    try {
      closeable.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    close(server);
    sockets.forEach(H2cSplitter::close);
  }
}
