package dev.limpet.contract;

/** The one spelling of a server identity: {@code ip:port}, IPv6 in brackets. */
public final class ServerKeys {
  private ServerKeys() {}

  public static String of(String ip, int port) {
    return (ip.indexOf(':') >= 0 ? "[" + ip + "]" : ip) + ":" + port;
  }
}
