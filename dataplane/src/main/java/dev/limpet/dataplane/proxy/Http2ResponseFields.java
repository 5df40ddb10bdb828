package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.AsciiString;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * A response head's fields as an HTTP/2 HEADERS frame carries them, by Netty's rules ({@code
 * HttpConversionUtil.toHttp2Headers}): {@code :status}, names in lower case, connection-specific
 * fields dropped (RFC 9113 §8.2.2). A head that names fields in {@code Connection}, or carries
 * {@code TE} or {@code Cookie} (which HTTP/2 splits), is converted by Netty itself; the others,
 * nearly every response, without Netty's per-field lowering and per-head map of connection options:
 * names come lowered from {@link LowerCaseNames}.
 */
final class Http2ResponseFields {
  /** Netty's {@code HTTP_TO_HTTP2_HEADER_BLACKLIST}, in lower case. */
  private static final Set<AsciiString> DROPPED =
      Set.of(
          HttpHeaderNames.CONNECTION,
          HttpHeaderNames.KEEP_ALIVE,
          HttpHeaderNames.PROXY_CONNECTION,
          HttpHeaderNames.TRANSFER_ENCODING,
          HttpHeaderNames.HOST,
          HttpHeaderNames.UPGRADE,
          ExtensionHeaderNames.STREAM_ID.text(),
          ExtensionHeaderNames.SCHEME.text(),
          ExtensionHeaderNames.PATH.text());

  private Http2ResponseFields() {}

  /** The HEADERS of {@code head}, validated as Netty validates them. */
  static Http2Headers of(HttpResponse head) {
    HttpHeaders in = head.headers();
    Http2Headers out = new DefaultHttp2Headers(true, in.size());
    out.status(head.status().codeAsText());
    if (in.contains(HttpHeaderNames.CONNECTION)
        || in.contains(HttpHeaderNames.TE)
        || in.contains(HttpHeaderNames.COOKIE)) {
      HttpConversionUtil.toHttp2Headers(in, out);
      return out;
    }
    if (in instanceof ReceivedHeaders received) {
      received.forEachField((name, value) -> add(out, name, value));
      return out;
    }
    Iterator<Map.Entry<CharSequence, CharSequence>> fields = in.iteratorCharSequence();
    while (fields.hasNext()) {
      Map.Entry<CharSequence, CharSequence> field = fields.next();
      add(out, field.getKey(), field.getValue());
    }
    return out;
  }

  private static void add(Http2Headers out, CharSequence name, CharSequence value) {
    AsciiString lower = LowerCaseNames.of(name);
    if (!DROPPED.contains(lower)) out.add(lower, value);
  }
}
