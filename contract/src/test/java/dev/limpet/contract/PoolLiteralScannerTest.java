package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.DataScriptCompiler.Compiled;
import dev.limpet.contract.PoolLiteralScanner.PoolLiteral;
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

  @Test
  void resolvesAPoolNameHeldInAConstantLocalOrGlobalLikeALiteral() {
    assertThat(
            scan(
                """
                local pool = "local_pool"
                backup = "global_pool"
                if avi.http.get_header("X") then
                  avi.pool.select(pool)
                else
                  avi.pool.select(backup, "10.0.0.1")
                end
                local function inner() avi.pool.select(pool) end
                """))
        .containsExactly(
            new PoolLiteral(4, "local_pool"),
            new PoolLiteral(6, "global_pool"),
            new PoolLiteral(8, "local_pool"));
  }

  @Test
  void aVariableThatChangesIsNotAConstant() {
    assertThat(
            scan(
                """
                local a = "first"
                if avi.http.get_header("X") then a = "second" end
                avi.pool.select(a)
                g = "one"
                local function f() g = "two" end
                avi.pool.select(g)
                local c = "c"
                local function set() c = "d" end
                set()
                avi.pool.select(c)
                local h = "h"
                _G.h = "other"
                for i = 1, 2 do local k = "k" .. i avi.pool.select(k) end
                """))
        .isEmpty();
  }

  @Test
  void aGlobalAssignedTheSameStringTwiceIsStillAConstant() {
    assertThat(
            scan(
                """
                if avi.http.get_header("X") then pool = "p" else pool = "p" end
                avi.pool.select(pool)
                """))
        .containsExactly(new PoolLiteral(2, "p"));
  }
}
