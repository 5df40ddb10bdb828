package dev.limpet.dataplane.http2;

import dev.limpet.dataplane.testing.ProxyFixture;

/** Configuration documents of the HTTP/2 tests. */
final class Http2Documents {
  private Http2Documents() {}

  /**
   * One virtual service on the fixture's port with HTTP/2 enabled, and a pool of every backend.
   *
   * @param http2 more fields of the http2 block, each after ", "
   * @param service more fields of the virtual service, each after ", "
   */
  static String oneService(ProxyFixture fx, String http2, String service) {
    return ("virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web, http2:"
            + " {enabled: true%s}%s}]\n"
            + "pools: [{name: web, servers: %s}]\n")
        .formatted(http2, service, fx.servers());
  }
}
