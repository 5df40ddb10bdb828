package dev.limpet.dataplane;

import java.net.InetSocketAddress;

/** A {@code host:port} command-line value: the last colon separates the port. */
record HostPort(String host, int port) {
  static HostPort parse(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) throw new IllegalArgumentException("expected host:port, got " + hostPort);
    return new HostPort(
        hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
  }

  /** The socket address, resolved now. */
  InetSocketAddress address() {
    return new InetSocketAddress(host, port);
  }
}
