package dev.limpet.contract;

/**
 * The HTTP version a pool speaks to its servers: HTTP/1.1, or HTTP/2 (h2 negotiated by ALPN when
 * the virtual service re-encrypts, else h2c with prior knowledge).
 */
public enum ServerProtocol {
  Http1,
  Http2;

  /** True for {@link #Http1}, the default: Jackson's filter of values a document leaves out. */
  public static final class IsHttp1 {
    @Override
    public boolean equals(Object value) {
      return value == null || value == Http1;
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }
}
