package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import org.junit.jupiter.api.Test;

class FramingExceptionTest {
  @Test
  void aMalformedHeadIsRefusedWithItsRefusalsStatusOrTheLimitsOr400() {
    assertThat(
            FramingException.statusOf(
                new FramingException(HttpResponseStatus.NOT_IMPLEMENTED, "transfer coding")))
        .isEqualTo(HttpResponseStatus.NOT_IMPLEMENTED);
    assertThat(FramingException.statusOf(new TooLongHttpLineException("uri")))
        .isEqualTo(HttpResponseStatus.REQUEST_URI_TOO_LONG);
    assertThat(FramingException.statusOf(new TooLongHttpHeaderException("headers")))
        .isEqualTo(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE);
    assertThat(FramingException.statusOf(new IllegalArgumentException("bad")))
        .isEqualTo(HttpResponseStatus.BAD_REQUEST);
  }
}
