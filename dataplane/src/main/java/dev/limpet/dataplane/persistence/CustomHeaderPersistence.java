package dev.limpet.dataplane.persistence;

import dev.limpet.contract.PersistenceProfileConfig.OnServerDown;
import dev.limpet.contract.ServerConfig;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.http.FieldBytes;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pins a request to the server whose static {@code headerValue} equals the value of a named request
 * header (exact match, first header of that name). Keeps no state. A received value is looked up as
 * bytes, without a {@code String}.
 */
public final class CustomHeaderPersistence implements Persistence {
  private final String headerName;
  private final Map<String, String> serverKeyByHeaderValue;
  private final HeaderValueIndex serverKeyByValueBytes;
  private final OnServerDown onServerDown;

  /** When two servers share a header value, the first one listed wins. */
  CustomHeaderPersistence(
      String headerName, List<ServerConfig> servers, OnServerDown onServerDown) {
    this.headerName = headerName;
    Map<String, String> byValue = new HashMap<>();
    for (ServerConfig server : servers) {
      if (server.headerValue() != null) byValue.putIfAbsent(server.headerValue(), server.key());
    }
    this.serverKeyByHeaderValue = Map.copyOf(byValue);
    this.serverKeyByValueBytes = new HeaderValueIndex(byValue);
    this.onServerDown = onServerDown;
  }

  @Override
  public String pinnedServer(ClientRequest request) {
    HttpHeaders headers = request.head().headers();
    if (headers instanceof FieldBytes fields && !fields.added(headerName)) {
      int field = fields.next(headerName, 0);
      if (field < 0) return null;
      return serverKeyByValueBytes.get(
          fields.bytes(), fields.valueStart(field), fields.valueEnd(field));
    }
    String value = headers.get(headerName);
    return value == null ? null : serverKeyByHeaderValue.get(value);
  }

  @Override
  public void remember(ClientRequest request, String serverKey) {}

  @Override
  public void onResponse(
      ClientRequest request, String pinnedKey, String servedKey, HttpHeaders responseHeaders) {}

  @Override
  public String requestField() {
    return headerName;
  }

  @Override
  public OnServerDown onServerDown() {
    return onServerDown;
  }
}
