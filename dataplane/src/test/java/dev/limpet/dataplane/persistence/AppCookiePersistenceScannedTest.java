package dev.limpet.dataplane.persistence;

import dev.limpet.dataplane.http.ClientRequest;

/**
 * Every test of {@link AppCookiePersistenceTest} with the request's fields read as the HTTP/1.1
 * listener reads them: kept as received bytes, only the session ids found made into {@code
 * String}s.
 */
class AppCookiePersistenceScannedTest extends AppCookiePersistenceTest {
  @Override
  ClientRequest request(String uri, String... headers) {
    return ScannedRequests.request(uri, headers);
  }
}
