package dev.limpet.dataplane.tls;

import io.netty.handler.ssl.SslContext;
import java.util.Collections;
import java.util.Set;

/**
 * How a certificate's context that offers {@code h2} serves a client that could only negotiate a
 * cipher suite HTTP/2 must not use (RFC 9113 §9.2.2): with its twin that offers HTTP/1.1 alone and
 * every configured suite. The h2 context has only the suites HTTP/2 may use, so an old client that
 * offers none of them is still served, over HTTP/1.1, as it was before the virtual service enabled
 * HTTP/2 (what HAProxy's and NGINX's users expect of {@code alpn h2,http/1.1}: turning HTTP/2 on
 * loses no client), and no client gets h2 on a forbidden suite.
 *
 * @param http1Only the same certificate and settings, ALPN {@code http/1.1} only, every suite
 * @param http2Suites the code points of the h2 context's suites ({@link Http2Ciphers#codes})
 */
record Http2Offer(SslContext http1Only, Set<Integer> http2Suites) {
  /** The context for a client that offers {@code offered} ({@link Http2Ciphers#offered}). */
  SslContext contextFor(SslContext http2, Set<Integer> offered) {
    return Collections.disjoint(http2Suites, offered) ? http1Only : http2;
  }
}
