package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.DataScriptCompiler.Compiled;
import dev.limpet.contract.DataScriptCompiler.SyntaxError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DataScriptCompilerTest {

  private static SyntaxError error(String source) {
    var result = DataScriptCompiler.compile("sticky", "httpRequest", source);
    assertThat(result).isInstanceOf(SyntaxError.class);
    return (SyntaxError) result;
  }

  @Test
  void compilesAValidScriptToAPrototypeNamedAfterScriptAndEvent() {
    var result =
        DataScriptCompiler.compile(
            "sticky", "httpRequest", "local ip = avi.http.get_header('X')\nif ip then end");
    assertThat(result).isInstanceOf(Compiled.class);
    assertThat(((Compiled) result).prototype().source.tojstring()).isEqualTo("sticky/httpRequest");
  }

  @Test
  void reportsTheLineAndMessageOfTheFirstError() {
    var e = error("local a = 1\nlocal b = 2\nif a then\n");
    assertThat(e.line()).isEqualTo(4);
    assertThat(e.message()).isEqualTo("'end' expected (to close 'if' at line 3)");
    assertThat(e).hasToString("line 4: 'end' expected (to close 'if' at line 3)");
  }

  @Test
  void namesAnUnexpectedSymbolInsteadOfLuajsTokenNumber() {
    assertThat(error("x = = 1")).hasToString("line 1: unexpected symbol near '='");
    assertThat(error("x = 1\n\nx = 1 +")).hasToString("line 3: unexpected symbol near <eos>");
    assertThat(error("x = 1\nreturn return"))
        .hasToString("line 2: unexpected symbol near 'return'");
  }

  @Test
  void keepsLuajsOtherMessages() {
    assertThat(error("for i=1 do end")).hasToString("line 1: ',' expected");
    assertThat(error("x = 'abc")).hasToString("line 1: unfinished string");
    assertThat(error("goto nowhere").message()).contains("no visible label 'nowhere'");
  }

  @Test
  void aDeeplyNestedExpressionIsAnErrorNotACrash() {
    var e = error("x = " + "(".repeat(100_000) + "1" + ")".repeat(100_000));
    assertThat(e.message()).isNotBlank();
  }
}
