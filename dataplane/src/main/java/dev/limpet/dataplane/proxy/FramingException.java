package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.http.HttpResponseStatus;

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

  static FramingException badRequest(String message) {
    return new FramingException(HttpResponseStatus.BAD_REQUEST, message);
  }
}
