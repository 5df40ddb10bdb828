package dev.limpet.dataplane.upstream.health;

import dev.limpet.dataplane.upstream.health.HealthCheckMessages.MalformedMessageException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * One {@code grpc.health.v1.Health/Check} call on its own HTTP/2 stream: sends the request when the
 * stream opens and completes the probe from the response. Passes only on HTTP 200, a gRPC content
 * type, {@code grpc-status: 0} and a message whose status is SERVING.
 */
final class GrpcHealthCall extends ChannelInboundHandlerAdapter {
  static final String PATH = "/grpc.health.v1.Health/Check";

  /** The canonical names of the gRPC status codes, by number, for reasons. */
  private static final String[] STATUS_CODES = {
    "OK",
    "CANCELLED",
    "UNKNOWN",
    "INVALID_ARGUMENT",
    "DEADLINE_EXCEEDED",
    "NOT_FOUND",
    "ALREADY_EXISTS",
    "PERMISSION_DENIED",
    "RESOURCE_EXHAUSTED",
    "FAILED_PRECONDITION",
    "ABORTED",
    "OUT_OF_RANGE",
    "UNIMPLEMENTED",
    "INTERNAL",
    "UNAVAILABLE",
    "DATA_LOSS",
    "UNAUTHENTICATED"
  };

  /** The longest grpc-message quoted in a reason. */
  private static final int MESSAGE_MAX = 200;

  private final CompletableFuture<ProbeResult> result;
  private final String service;
  private final String authority;
  private final String scheme;
  private ByteBuf body;
  private boolean headersSeen;

  /**
   * @param scheme {@code http} (h2c) or {@code https} (h2)
   */
  GrpcHealthCall(
      CompletableFuture<ProbeResult> result, String service, String authority, String scheme) {
    this.result = result;
    this.service = service;
    this.authority = authority;
    this.scheme = scheme;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    Http2Headers headers =
        new DefaultHttp2Headers()
            .method("POST")
            .scheme(scheme)
            .authority(authority)
            .path(PATH)
            .set("content-type", "application/grpc")
            .set("te", "trailers")
            .set("user-agent", "limpet-health-monitor");
    ctx.write(new DefaultHttp2HeadersFrame(headers));
    ctx.writeAndFlush(
        new DefaultHttp2DataFrame(HealthCheckMessages.request(ctx.alloc(), service), true));
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (result.isDone()) return;
      if (msg instanceof Http2HeadersFrame frame) headers(frame);
      else if (msg instanceof Http2DataFrame frame) data(ctx, frame);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** The multiplexer hands a stream its RST_STREAM as an event, then closes it. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
    if (event instanceof Http2ResetFrame reset)
      result.complete(ProbeResult.fail("stream reset by the server (" + errorName(reset) + ")"));
    ctx.fireUserEventTriggered(event);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    release();
    result.complete(ProbeResult.fail("stream closed before the gRPC trailers"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    result.complete(ProbeResult.fail(cause));
    ctx.close();
  }

  private void headers(Http2HeadersFrame frame) {
    Http2Headers headers = frame.headers();
    if (!headersSeen) {
      headersSeen = true;
      CharSequence status = headers.status();
      if (status == null || !"200".contentEquals(status)) {
        result.complete(
            ProbeResult.fail(
                "HTTP " + (status == null ? "response without :status" : printable(status))));
        return;
      }
      CharSequence type = headers.get("content-type");
      if (type == null || !type.toString().startsWith("application/grpc")) {
        result.complete(
            ProbeResult.fail(
                "content-type "
                    + (type == null ? "missing" : "'" + printable(type) + "'")
                    + ", not application/grpc"));
        return;
      }
      if (!frame.isEndStream()) return;
      // a trailers-only response: the status comes in the only HEADERS frame, with no message
    } else if (!frame.isEndStream()) {
      result.complete(ProbeResult.fail("a second HEADERS frame that does not end the stream"));
      return;
    }
    result.complete(verdict(headers));
    release();
  }

  private void data(ChannelHandlerContext ctx, Http2DataFrame frame) {
    ByteBuf content = frame.content();
    if (body == null) body = ctx.alloc().buffer(content.readableBytes());
    if (body.readableBytes() + content.readableBytes()
        > HealthCheckMessages.PREFIX + HealthCheckMessages.MAX_RESPONSE) {
      release();
      result.complete(
          ProbeResult.fail(
              "malformed gRPC response: more than "
                  + HealthCheckMessages.MAX_RESPONSE
                  + " bytes of message"));
      return;
    }
    body.writeBytes(content);
    if (frame.isEndStream())
      result.complete(ProbeResult.fail("the stream ended without gRPC trailers"));
  }

  private ProbeResult verdict(Http2Headers trailers) {
    CharSequence grpcStatus = trailers.get("grpc-status");
    if (grpcStatus == null) return ProbeResult.fail("no grpc-status in the trailers");
    if (!"0".contentEquals(grpcStatus)) return ProbeResult.fail(grpcFailure(grpcStatus, trailers));
    if (body == null) return ProbeResult.fail("grpc-status 0 without a response message");
    long number;
    try {
      number = HealthCheckMessages.responseStatus(body);
    } catch (MalformedMessageException e) {
      return ProbeResult.fail("malformed gRPC response: " + e.getMessage());
    }
    ServingStatus status = ServingStatus.of(number);
    if (status == null)
      return ProbeResult.fail("status " + number + ", which grpc.health.v1 does not define");
    return status == ServingStatus.SERVING
        ? ProbeResult.pass(status.name())
        : ProbeResult.fail(status.name());
  }

  /** {@code grpc-status 5 (NOT_FOUND): unknown service shop.v1.Cart}. */
  private static String grpcFailure(CharSequence grpcStatus, Http2Headers trailers) {
    String code = grpcStatus.toString();
    String name = null;
    if (code.matches("\\d{1,2}") && Integer.parseInt(code) < STATUS_CODES.length)
      name = STATUS_CODES[Integer.parseInt(code)];
    String reason =
        name != null
            ? "grpc-status " + code + " (" + name + ")"
            : "grpc-status '" + printable(code) + "'";
    CharSequence message = trailers.get("grpc-message");
    return message == null ? reason : reason + ": " + printable(decode(message.toString()));
  }

  /** grpc-message is percent-encoded ('+' stays '+'); an undecodable one is quoted as sent. */
  private static String decode(String message) {
    try {
      return URLDecoder.decode(message.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return message;
    }
  }

  /** Bounded and free of control characters: it goes to logs and the admin view. */
  private static String printable(CharSequence value) {
    String text = value.toString();
    String bounded = text.length() > MESSAGE_MAX ? text.substring(0, MESSAGE_MAX) + "…" : text;
    return bounded.replaceAll("\\p{Cntrl}", "?");
  }

  private static String errorName(Http2ResetFrame reset) {
    Http2Error error = Http2Error.valueOf(reset.errorCode());
    return error != null ? error.name() : "error code " + reset.errorCode();
  }

  private void release() {
    if (body != null) {
      body.release();
      body = null;
    }
  }
}
