package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A DataScript ({@code avi.http.get_cookie}) and a persistence profile (application cookie) read
 * the same odd {@code Cookie} header the same way: they share one codec. The profile is asked which
 * value it found by pinning every value any reading could produce to a server named after it.
 */
@Timeout(10)
class CookieReadersAgreeTest {
  /** Every value some reader of the cases below could see (trimmed, quoted, unquoted, joined). */
  private static final List<String> READINGS =
      List.of("1", "2", "3", "x", "\"q\"", "q", "\"q", "a b", " 2", "2 ", " 2 ", "1, b=2", "", "v");

  @ParameterizedTest(name = "[{0}] {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "NIL",
      value = {
        "s=1; s=2          | s | 1",
        "s=1;s=2           | s | 1",
        "t=1;s=2           | s | 2",
        "s=\"q\"           | s | q",
        "s=\"q             | s | NIL",
        "s=a b             | s | a b",
        "=x; s=3           | s | 3",
        "=; s=3            | s | 3",
        "noequals; s=3     | s | 3",
        "s = 2             | s | ' 2'",
        "'s= 2'            | s | ' 2'",
        "t=1, s=2          | s | NIL",
        "s=1, b=2          | s | '1, b=2'",
        "s=; s=v           | s | ''",
      })
  void aScriptAndAProfileReadTheSameCookie(String header, String name, String expected) {
    assertThat(scriptReads(header, name)).as("the script").isEqualTo(expected);
    assertThat(profileReads(header, name)).as("the profile").isEqualTo(TwoReaders.pinOf(expected));
  }

  private static String scriptReads(String header, String name) {
    return TwoReaders.scriptReads(
        "avi.http.get_cookie('" + name + "')", new FakeExchange("/").header("Cookie", header));
  }

  private static String profileReads(String header, String name) {
    return TwoReaders.profileReads(name, READINGS, new FakeExchange("/").header("Cookie", header));
  }
}
