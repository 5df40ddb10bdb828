package dev.limpet.dataplane.proxy;

import io.netty.handler.codec.DefaultHeaders.NameValidator;
import io.netty.handler.codec.DefaultHeaders.ValueValidator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpHeadersFactory;
import java.util.List;

/**
 * Header containers with the validation of Netty's defaults (every name and value is checked as it
 * is added), sized for the fields a message has rather than Netty's fixed 16 buckets: a decoder
 * builds one container per request head, response head and response end, so the containers are a
 * large share of what a request allocates. More fields than buckets only chain within a bucket. A
 * message end's trailer section almost always stays empty: its container is a {@link
 * ReceivedHeaders} with no field, which holds nothing until a field is added.
 */
public final class SizedHeadersFactory implements HttpHeadersFactory {
  /** Heads: a request or response through the proxy carries a handful of fields. */
  public static final SizedHeadersFactory HEADERS =
      new SizedHeadersFactory(DefaultHttpHeadersFactory.headersFactory(), 8);

  /** Trailers: empty unless a chunked body ends with a trailer section. */
  public static final SizedHeadersFactory TRAILERS =
      new SizedHeadersFactory(DefaultHttpHeadersFactory.trailersFactory(), 0);

  private final DefaultHttpHeadersFactory validation;
  private final NameValidator<CharSequence> names;
  private final ValueValidator<CharSequence> values;

  /** 0 for trailers: an empty container made only when a field is added. */
  private final int buckets;

  private SizedHeadersFactory(DefaultHttpHeadersFactory validation, int buckets) {
    this.validation = validation;
    this.names = validation.getNameValidator();
    this.values = validation.getValueValidator();
    this.buckets = buckets;
  }

  @Override
  public HttpHeaders newHeaders() {
    return buckets == 0 ? ReceivedHeaders.none(names, values) : new Sized(names, values, buckets);
  }

  @Override
  public HttpHeaders newEmptyHeaders() {
    return validation.newEmptyHeaders();
  }

  /** The protected constructor that takes a size is the only way to size Netty's container. */
  private static final class Sized extends DefaultHttpHeaders {
    Sized(NameValidator<CharSequence> names, ValueValidator<CharSequence> values, int buckets) {
      super(names, values, buckets);
    }

    /**
     * Netty's decoder asks for every Content-Length and Transfer-Encoding field of each message,
     * and Netty wraps even an empty answer in a converting view: an absent name gets the empty
     * list.
     */
    @Override
    public List<String> getAll(CharSequence name) {
      return contains(name) ? super.getAll(name) : List.of();
    }
  }
}
