package dev.limpet.dataplane.proxy;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Locale;

/**
 * Checks each decoded request head for what Netty's decoder lets through, so that the proxy and the
 * server cannot disagree on where a request ends or whom it is for (RFC 9112 sections 3, 6 and 7):
 * the request-target (printable ASCII only, absolute-form turned into origin-form with its
 * authority as Host, refused when a Host field names another), Host (exactly one on HTTP/1.1),
 * Transfer-Encoding (a single final {@code chunked}, never with Content-Length, never on HTTP/1.0),
 * CONNECT (refused) and {@code Upgrade} (only WebSocket is forwarded: {@code h2c} would hand the
 * connection to a protocol the proxy does not speak). A refused request goes on with a failed
 * {@code DecoderResult} whose cause carries the status; {@link FrontendHandler} answers it and
 * closes the connection.
 */
@Sharable
public final class RequestFraming extends ChannelInboundHandlerAdapter {
  public static final String NAME = "requestFraming";
  public static final RequestFraming INSTANCE = new RequestFraming();
  private static final String HTTP2_SETTINGS = "http2-settings";

  private RequestFraming() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request && request.decoderResult().isSuccess()) {
      try {
        check(request);
      } catch (FramingException refused) {
        request.setDecoderResult(DecoderResult.failure(refused));
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** Checks and normalizes {@code request}; throws what refuses it. */
  static void check(HttpRequest request) {
    if (request.method().equals(HttpMethod.CONNECT))
      throw new FramingException(HttpResponseStatus.METHOD_NOT_ALLOWED, "CONNECT is not proxied");
    HttpHeaders headers = request.headers();
    String target = request.uri();
    checkTarget(target);
    List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) throw FramingException.badRequest("more than one Host");
    boolean http11 = request.protocolVersion().equals(HttpVersion.HTTP_1_1);
    if (target.charAt(0) != '/') {
      if (target.equals("*") && request.method().equals(HttpMethod.OPTIONS)) {
        // asterisk-form
      } else {
        absoluteForm(request, target, hosts.isEmpty() ? null : hosts.get(0));
      }
    } else if (hosts.isEmpty() && http11) {
      throw FramingException.badRequest("no Host");
    }
    checkTransferEncoding(headers, http11);
    if (headers.contains(HttpHeaderNames.UPGRADE)) keepOnlyWebSocketUpgrade(headers);
  }

  /** Printable ASCII only: anything else would be re-encoded or read differently upstream. */
  private static void checkTarget(String target) {
    if (target.isEmpty()) throw FramingException.badRequest("empty request-target");
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c >= 0x7f)
        throw FramingException.badRequest("control or non-ASCII byte in the request-target");
    }
  }

  /**
   * {@code http://authority/path?query}: the authority replaces Host (RFC 9112 section 3.2.2). A
   * Host that names another authority is refused, as HAProxy does: a proxy in front that routes or
   * filters on Host would otherwise see another site than the one served.
   */
  private static void absoluteForm(HttpRequest request, String target, String host) {
    String lower = target.toLowerCase(Locale.ROOT);
    int schemeEnd = lower.startsWith("http://") ? 7 : lower.startsWith("https://") ? 8 : -1;
    if (schemeEnd < 0)
      throw FramingException.badRequest("request-target is neither origin- nor absolute-form");
    int pathStart = schemeEnd;
    while (pathStart < target.length() && "/?#".indexOf(target.charAt(pathStart)) < 0) pathStart++;
    String authority = target.substring(schemeEnd, pathStart);
    if (authority.isEmpty() || authority.indexOf('@') >= 0)
      throw FramingException.badRequest("absolute-form without a host, or with user info");
    if (host != null && !host.trim().equalsIgnoreCase(authority))
      throw FramingException.badRequest("Host differs from the absolute-form authority");
    String rest = target.substring(pathStart);
    request.setUri(rest.isEmpty() || rest.charAt(0) != '/' ? "/" + rest : rest);
    request.headers().set(HttpHeaderNames.HOST, authority);
  }

  /**
   * A single final {@code chunked} only (RFC 9112 section 6.1): the proxy applies no other coding,
   * and every other form is read differently by some server. Netty's decoder (4.2.18) already
   * refuses a list whose last coding is not {@code chunked} with 400, as section 6.3 asks, so an
   * unknown coding is a 400 too, never a 501; this holds the rule where the decoder lets a form
   * through.
   */
  private static void checkTransferEncoding(HttpHeaders headers, boolean http11) {
    if (!headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) return; // most requests: no list
    List<String> fields = headers.getAll(HttpHeaderNames.TRANSFER_ENCODING);
    if (!http11) throw FramingException.badRequest("Transfer-Encoding in an HTTP/1.0 request");
    if (fields.size() == 1 && fields.get(0).trim().equalsIgnoreCase("chunked")) {
      if (headers.contains(HttpHeaderNames.CONTENT_LENGTH))
        throw FramingException.badRequest("both Content-Length and Transfer-Encoding");
      return;
    }
    throw FramingException.badRequest("Transfer-Encoding other than a single chunked");
  }

  /**
   * Drops an {@code Upgrade} to anything but WebSocket ({@code h2c} above all: a server that took
   * it would turn the connection into a tunnel past every per-request stage, "h2c smuggling"), with
   * {@code HTTP2-Settings} and the {@code upgrade} token of {@code Connection}: the request goes on
   * as a plain one, as RFC 9110 section 7.8 allows a server to ignore the offer. The one place that
   * decides which protocol switch passes; {@link ResponseHeads} refuses a 101 to any other.
   */
  private static void keepOnlyWebSocketUpgrade(HttpHeaders headers) {
    List<String> upgrades = headers.getAll(HttpHeaderNames.UPGRADE);
    if (upgrades.size() == 1 && isWebSocket(upgrades.get(0))) return;
    headers.remove(HttpHeaderNames.UPGRADE);
    headers.remove(HTTP2_SETTINGS);
    List<String> connection = headers.getAll(HttpHeaderNames.CONNECTION);
    if (connection.isEmpty()) return;
    StringBuilder kept = new StringBuilder();
    for (String value : connection) {
      for (String token : value.split(",")) {
        String name = token.trim();
        if (name.isEmpty()
            || name.equalsIgnoreCase("upgrade")
            || name.equalsIgnoreCase(HTTP2_SETTINGS)) continue;
        if (kept.length() > 0) kept.append(", ");
        kept.append(name);
      }
    }
    headers.remove(HttpHeaderNames.CONNECTION);
    if (kept.length() > 0) headers.set(HttpHeaderNames.CONNECTION, kept.toString());
  }

  /** Whether an {@code Upgrade} value is the one protocol switch proxied: {@code websocket}. */
  static boolean isWebSocket(String upgrade) {
    return upgrade != null && upgrade.trim().equalsIgnoreCase("websocket");
  }
}
