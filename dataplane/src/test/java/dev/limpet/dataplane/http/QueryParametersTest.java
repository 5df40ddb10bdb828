package dev.limpet.dataplane.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueryParametersTest {
  @Test
  void formRulesWithAmpersandAsTheOnlySeparator() {
    assertThat(QueryParameters.of("x=1&y=hello+world&flag&x=2&e=%E2%82%AC&s=a;b"))
        .containsExactly(
            Map.entry("x", List.of("1", "2")),
            Map.entry("y", List.of("hello world")),
            Map.entry("flag", List.of("")),
            Map.entry("e", List.of("€")),
            Map.entry("s", List.of("a;b")));
  }

  @Test
  void aUriIsReadFromItsQueryOn() {
    assertThat(QueryParameters.ofUri("/a;jsessionid=1/b?id=2"))
        .containsExactly(Map.entry("id", List.of("2")));
    assertThat(QueryParameters.ofUri("/a")).isEmpty();
    assertThat(QueryParameters.of(null)).isEmpty();
  }

  @Test
  void aMalformedEscapeIsAnError() {
    assertThatThrownBy(() -> QueryParameters.of("x=%zz"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
