package dev.limpet.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ApiNameScanner.Unavailable;
import dev.limpet.contract.DataScriptCompiler.Compiled;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ApiNameScannerTest {

  private static List<Unavailable> scan(String source) {
    var result = DataScriptCompiler.compile("s", "httpRequest", source);
    return ApiNameScanner.scan(((Compiled) result).prototype());
  }

  private static org.luaj.vm2.Prototype compile(String source) {
    return ((Compiled) DataScriptCompiler.compile("s", "httpRequest", source)).prototype();
  }

  private static List<String> problems(String source) {
    return scan(source).stream().map(Unavailable::toString).toList();
  }

  @Test
  void everyOfferedNameConstantAndStringFunctionPasses() {
    assertThat(
            scan(
                """
                local h = avi.http.get_header("Host", avi.HTTP_REQUEST)
                if string.beginswith(h, "www.") and string.contains(h, "shop") then
                  local parts = string.split(h, ".")
                  avi.vs.reqvar.parts = parts
                  avi.vs.log(avi.vs.reqvar.anything.below, string.upper(h), avi.HTTP_NOT_FOUND)
                  avi.pool.select("p", avi.vs.table_lookup(h))
                end
                local function later() return avi.http.response(avi.HTTP_OK) end
                local net = avi.utils.ip.netaddr(avi.vs.client_ip(), 24)
                """))
        .isEmpty();
  }

  @Test
  void anUnknownOrRefusedNameIsReportedWithItsLineAndWhy() {
    assertThat(
            problems(
                """
                local x = 1
                local body = avi.http.get_response_body()
                if string.startswith(body, "x") then avi.http.frobnicate() end
                local geo = avi.utils.get_geo_from_ip(avi.vs.client_ip())
                avi.ssl.set_ssl_profile("strict")
                avi.vs.close()
                local y = avi.NOT_A_CONSTANT
                string.dump(print)
                """))
        .containsExactly(
            "line 2: avi.http.get_response_body is not available in Limpet: not implemented in"
                + " Limpet yet: the proxy streams response bodies and does not buffer them for"
                + " scripts (request bodies: avi.http.get_req_body)",
            "line 3: string.startswith is not a function of Lua's string library nor one of"
                + " Avi's additions",
            "line 3: avi.http.frobnicate is not a function of Avi's DataScript API that Limpet"
                + " knows",
            "line 4: avi.utils.get_geo_from_ip is not available in Limpet: Limpet has no geo-IP"
                + " database",
            "line 5: avi.ssl.set_ssl_profile is not available in Limpet: Limpet runs no TLS"
                + " handshake events (SSL_CLIENTHELLO, SSL_HANDSHAKE_DONE): a virtual service's"
                + " certificates and TLS settings are chosen by its spec and SNI",
            "line 6: avi.vs.close is not available in Limpet: an L4 function: use"
                + " avi.http.close_conn",
            "line 7: avi.NOT_A_CONSTANT is not a namespace or constant of Avi's DataScript API"
                + " that Limpet knows",
            "line 8: string.dump is not available in DataScripts (scripts cannot handle"
                + " bytecode)");
  }

  @Test
  void namesInsideFunctionsAndThroughSameBlockAliasesAreSeen() {
    assertThat(
            problems(
                """
                local function f()
                  local http = avi.http
                  return http.get_response_body()
                end
                """))
        .singleElement()
        .asString()
        .startsWith("line 3: avi.http.get_response_body is not available in Limpet");
  }

  @Test
  void readsSeesANameInAFunctionOrThroughAnAliasAndNotInCommentsOrStrings() {
    assertThat(
            ApiNameScanner.reads(
                compile("local function f() local h = avi.http; return h.get_req_body(10) end"),
                "avi.http.get_req_body"))
        .isTrue();
    assertThat(
            ApiNameScanner.reads(
                compile("-- avi.http.get_req_body()\nlocal s = \"avi.http.get_req_body\""),
                "avi.http.get_req_body"))
        .isFalse();
  }

  @Test
  void computedNamesCommentsStringsAndRedefinedGlobalsAreNotReported() {
    assertThat(
            scan(
                """
                -- avi.http.get_req_body()
                local s = "avi.http.get_req_body()"
                local name = "get_" .. "req_body"
                local f = avi.http[name]
                string = {beginswith = function() return true end, nope = 1}
                local n = string.nope
                """))
        .isEmpty();
  }
}
