package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

/** Which request trailer fields pass: declared, not denied, not named in the head or the pin. */
class TrailerFieldsTest {
  private static HttpHeaders fields(String... namesAndValues) {
    HttpHeaders headers = new DefaultHttpHeaders();
    for (int i = 0; i < namesAndValues.length; i += 2)
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    return headers;
  }

  private static HttpHeaders trailers() {
    return fields(
        "X-Checksum", "abc",
        "x-signature", "sig",
        "x-real-ip", "6.6.6.6",
        "x-session", "pinned",
        "x-tenant", "evil",
        "x-user", "evil",
        "x-removed", "evil");
  }

  @Test
  void withoutADeclarationEveryTrailerFieldIsDropped() {
    HttpHeaders trailers = trailers();
    int dropped = TrailerFields.strip(trailers, TrailerFields.declared(fields()), fields(), null);
    assertThat(dropped).isEqualTo(7);
    assertThat(trailers.isEmpty()).isTrue();
  }

  @Test
  void onlyDeclaredFieldsNamedNowhereInTheHeadNorPinnedOnNorDeniedPass() {
    HttpHeaders received =
        fields(
            "Host", "a",
            "Trailer", "x-checksum, X-SIGNATURE",
            "Trailer", "x-real-ip, x-session, x-tenant, x-user, x-removed",
            "X-Tenant", "a",
            "X-Removed", "a");
    TrailerFields.Declared declared = TrailerFields.declared(received);
    // the head as sent: a stage removed x-removed, a script added x-user
    HttpHeaders sent = fields("Host", "a", "X-Tenant", "a", "X-User", "alice");
    HttpHeaders trailers = trailers();

    int dropped = TrailerFields.strip(trailers, declared, sent, "X-Session");

    assertThat(trailers.names()).containsExactlyInAnyOrder("X-Checksum", "x-signature");
    assertThat(dropped).isEqualTo(5);
  }
}
