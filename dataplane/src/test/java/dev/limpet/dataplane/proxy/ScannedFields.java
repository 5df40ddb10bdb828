package dev.limpet.dataplane.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaders;
import java.nio.charset.StandardCharsets;

/** Field sections read as the data plane reads a well-formed head, for tests of other packages. */
public final class ScannedFields {
  private ScannedFields() {}

  /**
   * The fields {@code name: value} in order, as {@link HeadScanner} reads them (the received bytes
   * kept, values built only when asked); null when the scanner leaves such a head to Netty's
   * decoder (a byte outside visible ASCII, say).
   *
   * @param fields name, value, name, value, ...
   */
  public static HttpHeaders of(String... fields) {
    StringBuilder head = new StringBuilder("GET / HTTP/1.1\r\n");
    for (int i = 0; i < fields.length; i += 2)
      head.append(fields[i]).append(": ").append(fields[i + 1]).append("\r\n");
    ByteBuf bytes = Unpooled.copiedBuffer(head.append("\r\n"), StandardCharsets.ISO_8859_1);
    try {
      HeadScanner scanner = new HeadScanner(65_536);
      return scanner.scan(bytes) ? scanner.takeHeaders() : null;
    } finally {
      bytes.release();
    }
  }
}
