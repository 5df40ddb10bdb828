package dev.limpet.dataplane.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.config.DataScriptCompiler.Compiled;
import dev.limpet.dataplane.config.PoolLiteralScanner.PoolLiteral;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PoolLiteralScannerTest {

  private static List<PoolLiteral> scan(String source) {
    var result = DataScriptCompiler.compile("s", "httpRequest", source);
    return PoolLiteralScanner.scan(((Compiled) result).prototype());
  }

  @Test
  void findsLiteralPoolNamesWithTheirLines() {
    assertThat(
            scan(
                """
                local ip = avi.http.get_header("True-Client-IP")
                if ip then
                  avi.pool.select("primary_pool", avi.vs.table_lookup(ip))
                else
                  avi.pool.select('backup', "10.0.0.1", 8080)
                end
                """))
        .containsExactly(new PoolLiteral(3, "primary_pool"), new PoolLiteral(5, "backup"));
  }

  @Test
  void findsCallsInsideFunctionsAndThroughAliasesInTheSameBlock() {
    assertThat(
            scan(
                """
                local function pick()
                  local pool = avi.pool
                  pool.select("inner")
                end
                pick()
                """))
        .containsExactly(new PoolLiteral(3, "inner"));
  }

  @Test
  void ignoresCommentsStringsAndComputedNames() {
    assertThat(
            scan(
                """
                -- avi.pool.select("commented_out")
                local s = 'avi.pool.select("in_a_string")'
                local name = "computed" .. "_pool"
                avi.pool.select(name)
                avi.pool.select(x and "a" or "b")
                other.pool.select("not_avi")
                """))
        .isEmpty();
  }

  @Test
  void givesUpWhenTheScriptRedefinesAviOrEnv() {
    assertThat(scan("avi = {pool = {select = print}}\navi.pool.select('mine')")).isEmpty();
    assertThat(scan("_G.avi = {}\navi.pool.select('mine')")).isEmpty();
    assertThat(
            scan(
                """
                local _ENV = {avi = {pool = {select = function() end}}}
                local function f() avi.pool.select("fake") end
                """))
        .isEmpty();
  }
}
