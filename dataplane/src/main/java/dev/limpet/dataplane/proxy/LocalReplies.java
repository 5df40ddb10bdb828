package dev.limpet.dataplane.proxy;

import dev.limpet.dataplane.script.ScriptResult;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The short answers the proxy gives itself: errors and refusals, plain text, one line. */
public final class LocalReplies {
  private LocalReplies() {}

  /** A reply a DataScript built ({@code avi.http.response}). */
  public static FullHttpResponse scripted(
      int status, HttpHeaders headers, byte[] body, boolean close) {
    var response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(status),
            Unpooled.wrappedBuffer(body == null ? new byte[0] : body));
    if (headers != null) response.headers().set(headers);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
    if (close) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }

  /** A redirect a DataScript asked for ({@code avi.http.redirect}). */
  public static FullHttpResponse redirect(int status, String location, boolean close) {
    var response = of(HttpResponseStatus.valueOf(status), "redirecting to " + location, close);
    response.headers().set(HttpHeaderNames.LOCATION, location);
    return response;
  }

  /**
   * The reply a DataScript's result asks for (local response, redirect), or {@code failure} with
   * {@code failureText} when it failed or gave none.
   */
  static FullHttpResponse fromScript(
      ScriptResult result, HttpResponseStatus failure, String failureText) {
    if (result != null && result.action() instanceof ScriptResult.LocalResponse local)
      return scripted(local.status(), local.headers(), local.body(), false);
    if (result != null && result.action() instanceof ScriptResult.Redirect redirect)
      return redirect(redirect.status(), redirect.location(), false);
    return of(failure, failureText, false);
  }

  public static FullHttpResponse of(HttpResponseStatus status, String body, boolean close) {
    var content = Unpooled.copiedBuffer(body + "\n", StandardCharsets.UTF_8);
    var response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    if (close) response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return response;
  }
}
