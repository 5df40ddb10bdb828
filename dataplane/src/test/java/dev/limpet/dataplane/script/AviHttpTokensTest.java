package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code avi.http.get_path_tokens}, {@code get_host_tokens}, {@code get_request_id}, reqvars. */
@Timeout(10)
class AviHttpTokensTest {
  private final ScriptHarness harness = new ScriptHarness();

  private List<String> logs(String source, FakeExchange exchange) {
    return harness.logs(source, exchange);
  }

  @Test
  void pathTokensWithoutArgumentsFromAStartAndInARange() {
    var exchange = new FakeExchange("/api//v2/users/42?x=/a/b");
    assertThat(
            logs(
                """
                local h = avi.http
                avi.vs.log(h.get_path_tokens())
                avi.vs.log(h.get_path_tokens(2))
                avi.vs.log(h.get_path_tokens(2, 3))
                avi.vs.log(h.get_path_tokens(4, 99), h.get_path_tokens(5), h.get_path_tokens(1, 1))
                """,
                exchange))
        .containsExactly("api/v2/users/42", "v2/users/42", "v2/users", "42 nil api");
  }

  @Test
  void hostTokensWithoutArgumentsFromAStartAndInARangeWithoutThePort() {
    var exchange = new FakeExchange("/");
    exchange.request.headers().set("Host", "www.shop.example.com:8080");
    assertThat(
            logs(
                """
                local h = avi.http
                avi.vs.log(h.get_host_tokens())
                avi.vs.log(h.get_host_tokens(2))
                avi.vs.log(h.get_host_tokens(1, 2), h.get_host_tokens(9))
                """,
                exchange))
        .containsExactly("www.shop.example.com", "shop.example.com", "www.shop nil");
  }

  @Test
  void anEndBeforeTheStartIsAnArgumentError() {
    harness.request("avi.http.get_path_tokens(3, 2)");
    harness.request(new FakeExchange("/a/b/c"));
    assertThat(harness.failure()).contains("bad argument #2 to 'avi.http.get_path_tokens'");
  }

  @Test
  void theRequestIdIsTheSameInEveryEventOfARequestAndDiffersBetweenRequests() {
    harness.script(
        "ids",
        "avi.vs.reqvar.id = avi.http.get_request_id() avi.vs.log(avi.vs.reqvar.id)",
        "avi.vs.log(avi.http.get_request_id() == avi.vs.reqvar.id)",
        null);
    var tx = new ScriptTransaction();
    var exchange = new FakeExchange("/");
    harness.run(ScriptEvent.HTTP_REQ, tx, exchange);
    harness.run(ScriptEvent.HTTP_RESP, tx, exchange.respond(200, harness.a));
    var other = new ScriptTransaction();
    harness.run(ScriptEvent.HTTP_REQ, other, new FakeExchange("/"));
    assertThat(harness.failures).isEmpty();
    assertThat(tx.requestId()).matches("[0-9a-f]{16}").isNotEqualTo(other.requestId());
    assertThat(ScriptHarness.logged(exchange)).hasSize(2).endsWith("true");
  }

  @Test
  void getAndSetReqvarAreAvisReqvarTable() {
    assertThat(
            logs(
                """
                avi.http.set_reqvar("user", "alice")
                avi.vs.log(avi.vs.reqvar.user, avi.http.get_reqvar("user"), avi.http.get_reqvar("none"))
                avi.vs.reqvar.n = 3
                avi.vs.log(avi.http.get_reqvar("n"))
                """,
                new FakeExchange("/")))
        .containsExactly("alice alice nil", "3");
  }
}
