package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.runtime.AddressBlocks;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code X-Forwarded-For} in and out. In: when a virtual service trusts proxies and the connection
 * comes from one, the request's client is the right-most address of the field that is not itself a
 * trusted proxy (the left-most when all are); every field line counts, in order. A field with an
 * entry that is not an IP address (with an optional port) is ignored whole: the connection's client
 * stays the client, and the request is not refused for it. Out: the chain from that client on, then
 * the connection's client; entries left of the client are dropped, since only the client could have
 * written them. A virtual service that trusts no proxy appends the connection's client to what the
 * request carried, as before.
 */
final class ForwardedFor {
  static final AsciiString NAME = AsciiString.cached("x-forwarded-for");

  private ForwardedFor() {}

  /** The request's client. */
  static InetSocketAddress client(
      InetSocketAddress connection, AddressBlocks trusted, HttpHeaders headers) {
    List<InetSocketAddress> chain = trustedChain(connection, trusted, headers);
    return chain == null ? connection : chain.get(0);
  }

  /**
   * The {@code X-Forwarded-For} value to send upstream.
   *
   * @param self the connection's client as text (kept per connection, see {@link ForwardedHeaders})
   */
  static String outgoing(
      InetSocketAddress connection, String self, AddressBlocks trusted, HttpHeaders headers) {
    if (trusted == null) {
      String prior = headers.get(NAME);
      return prior == null ? self : prior + ", " + self;
    }
    List<InetSocketAddress> chain = trustedChain(connection, trusted, headers);
    if (chain == null) return self;
    StringBuilder out = new StringBuilder();
    for (InetSocketAddress a : chain) out.append(a.getAddress().getHostAddress()).append(", ");
    return out.append(self).toString();
  }

  /**
   * The addresses of the field from the client on, or null when the field is not believed (no
   * trusted proxies, an untrusted connection, no field, a malformed one).
   */
  private static List<InetSocketAddress> trustedChain(
      InetSocketAddress connection, AddressBlocks trusted, HttpHeaders headers) {
    if (trusted == null || !trusted.contains(connection.getAddress())) return null;
    List<InetSocketAddress> entries = entries(headers);
    if (entries == null || entries.isEmpty()) return null;
    int client = 0;
    for (int i = entries.size() - 1; i >= 0; i--) {
      if (!trusted.contains(entries.get(i).getAddress())) {
        client = i;
        break;
      }
    }
    return entries.subList(client, entries.size());
  }

  /** Every entry of every field line, or null when one is not an address. */
  static List<InetSocketAddress> entries(HttpHeaders headers) {
    List<String> lines = headers.getAll(NAME);
    if (lines.isEmpty()) return List.of();
    List<InetSocketAddress> out = new ArrayList<>();
    for (String line : lines) {
      for (String entry : line.split(",", -1)) {
        InetSocketAddress a = address(entry.trim());
        if (a == null) return null;
        out.add(a);
      }
    }
    return out;
  }

  /**
   * {@code 192.0.2.1}, {@code 192.0.2.1:8080}, {@code 2001:db8::1}, {@code [2001:db8::1]} or {@code
   * [2001:db8::1]:8080}; null for anything else (names are never resolved). Port 0 when none is
   * given.
   */
  static InetSocketAddress address(String entry) {
    String host = entry;
    int port = 0;
    if (entry.startsWith("[")) {
      int end = entry.indexOf(']');
      if (end < 0) return null;
      host = entry.substring(1, end);
      String rest = entry.substring(end + 1);
      if (!rest.isEmpty()) {
        if (!rest.startsWith(":")) return null;
        port = port(rest.substring(1));
      }
    } else if (entry.indexOf(':') >= 0 && entry.indexOf(':') == entry.lastIndexOf(':')) {
      int colon = entry.indexOf(':');
      host = entry.substring(0, colon);
      port = port(entry.substring(colon + 1));
      if (!NetUtil.isValidIpV4Address(host)) return null;
    }
    if (port < 0) return null;
    InetAddress address = NetUtil.createInetAddressFromIpAddressString(host);
    return address == null ? null : new InetSocketAddress(address, port);
  }

  private static int port(String text) {
    if (text.isEmpty() || text.length() > 5) return -1;
    for (int i = 0; i < text.length(); i++) if (!Character.isDigit(text.charAt(i))) return -1;
    int port = Integer.parseInt(text);
    return port <= 65_535 ? port : -1;
  }
}
