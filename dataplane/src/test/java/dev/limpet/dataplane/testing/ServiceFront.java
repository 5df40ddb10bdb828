package dev.limpet.dataplane.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One address in front of several data planes, as a Kubernetes Service is: each new connection is
 * relayed to the replica chosen by {@link #routeTo} at the time. Clients that cache TLS sessions by
 * host and port (the JDK's) then resume on whichever replica they reach.
 */
public final class ServiceFront implements AutoCloseable {
  private final ServerSocket server;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile InetSocketAddress target;

  public ServiceFront(String ip) throws IOException {
    server = new ServerSocket();
    server.bind(new InetSocketAddress(ip, 0));
    Thread acceptor = new Thread(this::accept, "service-front");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** New connections go to {@code port} on 127.0.0.1 from now on. */
  public void routeTo(int port) {
    target = new InetSocketAddress("127.0.0.1", port);
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket();
        try {
          upstream.connect(target, 5_000);
        } catch (IOException e) {
          closeQuietly(client);
          continue;
        }
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // the front was closed
      }
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
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "service-front-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    closeQuietly(server);
    sockets.forEach(ServiceFront::closeQuietly);
  }

  private static void closeQuietly(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
