package dev.limpet.dataplane.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port nothing listens on right now, for a listener a test configures.
 *
 * <p>Ports come from below Linux's ephemeral range (32768–60999): a port the kernel handed out for
 * {@code bind(0)} can be taken by any outgoing connection before the test binds it, which made
 * listeners fail with "Address already in use" now and then.
 */
public final class FreePorts {
  private static final int FIRST = 20_000;
  private static final int END = 32_000;
  // Another test JVM on the machine starts elsewhere in the range.
  private static final AtomicInteger NEXT =
      new AtomicInteger(FIRST + (int) (ProcessHandle.current().pid() * 97 % (END - FIRST)));

  private FreePorts() {}

  public static int next() {
    for (int tries = 0; tries < END - FIRST; tries++) {
      int port = FIRST + Math.floorMod(NEXT.getAndIncrement() - FIRST, END - FIRST);
      // The wildcard address conflicts with a listener on any 127.0.0.x address.
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress(port));
        return port;
      } catch (IOException busy) {
        // taken: try the next one
      }
    }
    throw new IllegalStateException("no free port in " + FIRST + "-" + END);
  }
}
