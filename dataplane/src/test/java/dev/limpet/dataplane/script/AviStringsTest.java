package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AviStringsTest {
  @Test
  void beginswithEndswithAndContainsCompareBytesCaseSensitivelyAsPlainText() {
    assertThat(
            ScriptHarness.logsOf(
                """
                avi.vs.log(string.beginswith("Basic abc", "Basic "), string.beginswith("abc", "b"))
                avi.vs.log(string.endswith("index.html", ".html"), string.endswith("a", "ba"))
                avi.vs.log(string.contains("a.b", "."), string.contains("axb", "."))
                avi.vs.log(string.beginswith("ABC", "a"), string.contains("", ""))
                avi.vs.log(string.beginswith(12345, 12), string.endswith("x", ""))
                """))
        .containsExactly("true false", "true false", "true false", "false true", "true true");
  }

  @Test
  void theyWorkAsMethodsOfAString() {
    assertThat(
            ScriptHarness.logsOf(
                "local s = 'www.example.com'\navi.vs.log(s:beginswith('www'), s:endswith('.org'))"))
        .containsExactly("true false");
  }

  @Test
  void aNilSubjectIsFalseAsAvisBasicAuthExampleNeeds() {
    assertThat(
            ScriptHarness.logsOf(
                "avi.vs.log(string.beginswith(avi.http.get_header('Authorization'), 'Basic '))"))
        .containsExactly("false");
  }

  @Test
  void aBadArgumentNamesTheFunction() {
    assertThat(ScriptHarness.failureOf("string.contains('a', {})"))
        .contains("bad argument #2 to 'string.contains' (string expected, got table)");
    assertThat(ScriptHarness.failureOf("string.split({})"))
        .contains("bad argument #1 to 'string.split' (string expected, got table)");
    assertThat(ScriptHarness.failureOf("string.split('a', '')"))
        .contains("bad argument #2 to 'string.split' (separator must not be empty)");
  }

  @Test
  void splitKeepsEmptyPiecesUsesPlainTextAndASpaceByDefault() {
    assertThat(
            ScriptHarness.logsOf(
                """
                local function show(t) avi.vs.log(#t, table.concat(t, '|')) end
                show(string.split("a,b,,c", ","))
                show(string.split("one two", nil))
                show(string.split("a.b.c", "."))
                show(string.split("a::b", "::"))
                show(string.split("", ","))
                show(string.split(",", ","))
                """))
        .containsExactly("4 a|b||c", "2 one|two", "3 a|b|c", "2 a|b", "1 ", "2 |");
  }
}
