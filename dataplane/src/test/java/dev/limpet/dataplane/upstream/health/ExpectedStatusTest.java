package dev.limpet.dataplane.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedStatusTest {
  @Test
  void matchesClassesAndExactCodes() {
    ExpectedStatus expected = new ExpectedStatus(List.of("2xx", "301", "404"));

    assertThat(expected.matches(200)).isTrue();
    assertThat(expected.matches(299)).isTrue();
    assertThat(expected.matches(301)).isTrue();
    assertThat(expected.matches(404)).isTrue();
    assertThat(expected.matches(302)).isFalse();
    assertThat(expected.matches(503)).isFalse();
    assertThat(expected.matches(100)).isFalse();
  }

  @Test
  void anExactCodeDoesNotOpenItsClass() {
    ExpectedStatus expected = new ExpectedStatus(List.of("204"));

    assertThat(expected.matches(204)).isTrue();
    assertThat(expected.matches(200)).isFalse();
  }

  @Test
  void ignoresCodesOutsideEveryClass() {
    ExpectedStatus expected = new ExpectedStatus(List.of("5xx"));

    assertThat(expected.matches(599)).isTrue();
    assertThat(expected.matches(999)).isFalse();
    assertThat(expected.matches(42)).isFalse();
  }
}
