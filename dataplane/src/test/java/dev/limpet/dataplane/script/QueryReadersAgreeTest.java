package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A DataScript ({@code avi.http.get_query}) and a persistence profile (an application cookie's
 * session id in the URI) read the same odd query the same way: they share one query reader. The
 * profile is asked which value it found by pinning every value any reading could produce to a
 * server named after it.
 */
@Timeout(10)
class QueryReadersAgreeTest {
  /** Every value some reader of the cases below could see. */
  private static final List<String> READINGS =
      List.of("1", "2", "a b", "a+b", "A", "%41", "1;t=2", "", "€", "%E2%82%AC", "x=y");

  @ParameterizedTest(name = "[{0}] {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NIL",
      value = {
        "/?s=1&s=2          | 1",
        "/?t=1&&s=2         | 2",
        "/?s=a+b            | a b",
        "/?s=%41            | A",
        "/?s=%E2%82%AC      | €",
        "/?s=1;t=2          | 1;t=2",
        "/?s=x=y            | x=y",
        "/?t=s              | NIL",
        "/p?                | NIL",
      })
  void aScriptAndAProfileReadTheSameParameter(String uri, String expected) {
    assertThat(scriptReads(uri)).as("the script").isEqualTo(expected);
    assertThat(profileReads(uri)).as("the profile").isEqualTo(TwoReaders.pinOf(expected));
  }

  @Test
  void aMalformedEscapeFailsTheScriptVisiblyAndGivesTheProfileNoSessionId() {
    var harness = new ScriptHarness();
    harness.request("avi.vs.log(avi.http.get_query('s'))");
    harness.request(new FakeExchange("/?s=%zz"));
    assertThat(harness.failure()).contains("the request's query cannot be decoded");
    assertThat(profileReads("/?s=%zz")).isNull();
  }

  private static String scriptReads(String uri) {
    return TwoReaders.scriptReads("avi.http.get_query('s')", new FakeExchange(uri));
  }

  private static String profileReads(String uri) {
    return TwoReaders.profileReads("s", READINGS, new FakeExchange(uri));
  }
}
