package dev.limpet.dataplane.persistence;

import dev.limpet.dataplane.http.ClientRequest;

/**
 * Every test of {@link CustomHeaderPersistenceTest} with the request's fields read as the HTTP/1.1
 * listener reads them: kept as received bytes, looked up without a {@code String}.
 */
class CustomHeaderPersistenceScannedTest extends CustomHeaderPersistenceTest {
  @Override
  ClientRequest request(String uri, String... headers) {
    return ScannedRequests.request(uri, headers);
  }
}
