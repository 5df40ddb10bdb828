package dev.limpet.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a loopback address in front of a server (a replica's peer port, an API server), to
 * break links on purpose: {@link #cut} closes every connection and refuses new ones until {@link
 * #heal}; {@link #freeze} keeps the connections open but forwards nothing (a silent network
 * failure). {@link #routeTo} sends new connections elsewhere, as a Service picks another replica
 * for each connection. After {@link #resetWhenCut} a cut relay refuses with a reset, as a host that
 * is gone does.
 */
public final class Relay implements AutoCloseable {
  private final ServerSocket server;
  private volatile InetSocketAddress target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean cut;
  private volatile boolean frozen;
  private volatile boolean reset;

  /** Listens on {@code listen} (port 0: a free one) and forwards to {@code target}. */
  public Relay(InetSocketAddress listen, InetSocketAddress target) throws IOException {
    this.server = new ServerSocket();
    server.setReuseAddress(true); // a fixed port is free again at once when a run restarts
    server.bind(listen, 128);
    this.target = target;
    Thread acceptor = new Thread(this::accept, "relay-" + listen);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public InetSocketAddress address() {
    return (InetSocketAddress) server.getLocalSocketAddress();
  }

  /** New connections go to {@code next} from now on; open ones stay where they are. */
  public void routeTo(InetSocketAddress next) {
    target = next;
  }

  public void cut() {
    cut = true;
    closeAll();
  }

  public void freeze() {
    frozen = true;
  }

  public void heal() {
    if (frozen) closeAll(); // the frozen connections carry half-sent frames: start afresh
    frozen = false;
    cut = false;
  }

  /** From now on a cut relay refuses a connection with a reset (SO_LINGER 0) rather than a FIN. */
  public Relay resetWhenCut() {
    reset = true;
    return this;
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (cut) {
          if (reset) client.setSoLinger(true, 0);
          client.close();
          continue;
        }
        Socket upstream = new Socket();
        try {
          upstream.connect(target, 2_000);
        } catch (IOException e) {
          close(client); // the replica is down: so is the link
          continue;
        }
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        // the relay is closing
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buf = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) > 0; ) {
                  while (frozen) Thread.sleep(10); // holds the bytes back, connection open
                  out.write(buf, 0, n);
                }
              } catch (IOException | InterruptedException e) {
                // one side closed
              } finally {
                close(from);
                close(to);
              }
            },
            "relay-pump");
    t.setDaemon(true);
    t.start();
  }

  private void closeAll() {
    sockets.forEach(Relay::close);
    sockets.clear();
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() {
    close(server);
    closeAll();
  }

  private static void close(ServerSocket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
