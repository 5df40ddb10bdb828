package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class EventGuardTest {

  private static String failureIn(ScriptEvent event, String call) {
    var h = new ScriptHarness();
    switch (event) {
      case HTTP_REQ -> h.script("g", call, null, null);
      case HTTP_RESP -> h.script("g", null, call, null);
      case HTTP_RESP_FAILED -> h.script("g", null, null, call);
    }
    var exchange = new FakeExchange("/");
    if (event != ScriptEvent.HTTP_REQ) exchange.respond(200, h.a);
    h.run(event, new ScriptTransaction(), exchange);
    return h.failures.isEmpty() ? null : h.failure();
  }

  @Test
  void aFunctionOutsideItsEventsFailsNamingTheEventsThatAllowIt() {
    Map<String, String> expected =
        Map.of(
            "avi.pool.select('backup')",
                "avi.pool.select cannot be called in HTTP_RESP (only in: HTTP_REQ)",
            "avi.http.set_path('/x')",
                "avi.http.set_path cannot be called in HTTP_RESP (only in: HTTP_REQ)",
            "avi.http.redirect('/x')",
                "avi.http.redirect cannot be called in HTTP_RESP (only in: HTTP_REQ, HTTP_RESP_FAILED)");
    expected.forEach(
        (call, message) ->
            assertThat(failureIn(ScriptEvent.HTTP_RESP, call)).as(call).endsWith(message));
    assertThat(failureIn(ScriptEvent.HTTP_REQ, "avi.http.status()"))
        .endsWith("avi.http.status cannot be called in HTTP_REQ (only in: HTTP_RESP)");
    assertThat(failureIn(ScriptEvent.HTTP_REQ, "avi.pool.server_ip()"))
        .endsWith("(only in: HTTP_RESP)");
    assertThat(failureIn(ScriptEvent.HTTP_RESP_FAILED, "avi.http.get_header('X')"))
        .endsWith(
            "avi.http.get_header cannot be called in HTTP_RESP_FAILED (only in: HTTP_REQ,"
                + " HTTP_RESP)");
    assertThat(failureIn(ScriptEvent.HTTP_RESP_FAILED, "avi.vs.table_lookup('k')"))
        .endsWith("(only in: HTTP_REQ, HTTP_RESP)");
  }

  @Test
  void theVirtualServiceFunctionsWorkInEveryEvent() {
    for (ScriptEvent event : ScriptEvent.values())
      assertThat(
              failureIn(
                  event,
                  "avi.vs.log(avi.vs.name(), avi.vs.client_ip(), avi.vs.port())"
                      + " avi.vs.reqvar.x = 1"))
          .as(event.name())
          .isNull();
  }

  @Test
  void theGuardErrorCarriesTheScriptLine() {
    assertThat(failureIn(ScriptEvent.HTTP_RESP, "local a = 1\n\navi.pool.select('backup')"))
        .startsWith("g/httpResponse:3: avi.pool.select cannot be called");
  }
}
