package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

/**
 * A request refused for its framing or its request line, with the status the client gets. Thrown
 * inside the decoder (which turns it into a failed {@code DecoderResult}) or set as the cause of
 * one by {@link RequestFraming}.
 */
public final class FramingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final transient HttpResponseStatus status;

  FramingException(HttpResponseStatus status, String message) {
    super(message, null);
    this.status = status;
  }

  /** Refusals can come in floods: no stack trace to fill. */
  @Override
  public synchronized Throwable fillInStackTrace() {
    return this;
  }

  public HttpResponseStatus status() {
    return status;
  }

  /**
   * The status a request head that failed to decode is refused with: a framing refusal's own, 414
   * for a request line over the limit, 431 for header fields over it, else 400.
   */
  static HttpResponseStatus statusOf(Throwable cause) {
    if (cause instanceof FramingException refused) return refused.status();
    if (cause instanceof TooLongHttpLineException) return HttpResponseStatus.REQUEST_URI_TOO_LONG;
    if (cause instanceof TooLongHttpHeaderException)
      return HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
    return HttpResponseStatus.BAD_REQUEST;
  }

  static FramingException badRequest(String message) {
    return new FramingException(HttpResponseStatus.BAD_REQUEST, message);
  }
}
