package dev.limpet.dataplane.upstream;

import dev.limpet.contract.LoadBalancingConfig;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.http.CookieHeaders;
import java.net.InetSocketAddress;
import java.util.List;

/** Reads the value that consistent hashing hashes from a request: client IP, header or cookie. */
@FunctionalInterface
interface RequestHashKey {
  /** The key, or null when the request does not carry it. */
  String of(ClientRequest request);

  static RequestHashKey from(LoadBalancingConfig config) {
    String name = config.hashName();
    return switch (config.hashKey()) {
      case ClientIP -> RequestHashKey::clientIp;
      case Header -> request -> blankToNull(request.head().headers().get(name));
      case Cookie -> request -> cookie(request, name);
    };
  }

  private static String clientIp(ClientRequest request) {
    InetSocketAddress client = request.client();
    if (client == null) return null;
    return client.getAddress() != null
        ? client.getAddress().getHostAddress()
        : client.getHostString();
  }

  private static String cookie(ClientRequest request, String name) {
    List<String> values = CookieHeaders.values(request.head().headers(), name);
    return values.isEmpty() ? null : blankToNull(values.get(0));
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
