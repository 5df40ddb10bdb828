package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.AsciiString;
import java.util.Iterator;

/**
 * Makes the request head Netty converted from an HTTP/2 HEADERS frame ({@link StreamMessages}) read
 * like an HTTP/1.1 one to the stages after it, and refuses what that conversion would leave
 * ambiguous. Netty's conversion has already refused (with a stream error) upper-case names,
 * connection-specific fields, a {@code te} other than {@code trailers}, misplaced or unknown
 * pseudo-header fields, a {@code host} that names another authority than {@code :authority}
 * (compared ignoring case; RFC 9113 §8.3.1) and a body longer or shorter than its {@code
 * content-length}, turned {@code :authority} into Host and joined split {@code cookie} fields with
 * "; " (RFC 9113 §8.2.3). Here: the {@code x-http2-*} fields the conversion adds (stream id,
 * scheme) go, so no server ever sees them; of the Host fields Netty let through (equal ignoring
 * case), identical ones are merged into one and ones that differ in case are refused (400); and a
 * {@code :path} longer than the listener's URI limit gets 414, as an HTTP/1.1 request line over it
 * does (the header list limit alone would let it through).
 */
final class StreamRequests {
  private static final ExtensionHeaderNames[] EXTENSIONS = ExtensionHeaderNames.values();

  private StreamRequests() {}

  /**
   * {@code request}, its fields made ready; or failed when its {@code :path} is over {@code
   * maxUriBytes} ({@link ListenerSettings#maxUriBytes}) or its Host fields disagree.
   */
  static HttpRequest readied(HttpRequest request, int maxUriBytes) {
    if (!request.decoderResult().isSuccess()) return request;
    // :path is read as ISO-8859-1 (HPACK's octets): one char per byte
    if (request.uri().length() > maxUriBytes) {
      request.setDecoderResult(
          DecoderResult.failure(
              new FramingException(
                  HttpResponseStatus.REQUEST_URI_TOO_LONG,
                  ":path longer than " + maxUriBytes + " bytes")));
      return request;
    }
    HttpHeaders headers = request.headers();
    for (ExtensionHeaderNames extension : EXTENSIONS) headers.remove(extension.text());
    // nearly every request has one Host (from :authority): read it without a String or a list
    Iterator<? extends CharSequence> hosts =
        headers.valueCharSequenceIterator(HttpHeaderNames.HOST);
    if (!hosts.hasNext()) return request;
    CharSequence host = hosts.next();
    if (!hosts.hasNext()) return request;
    while (hosts.hasNext()) {
      if (!AsciiString.contentEquals(host, hosts.next())) {
        request.setDecoderResult(
            DecoderResult.failure(
                FramingException.badRequest("Host names another authority than :authority")));
        return request;
      }
    }
    headers.set(HttpHeaderNames.HOST, host);
    return request;
  }
}
