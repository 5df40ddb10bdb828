package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.DataScriptConfig;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which scripts learn pins from responses ({@code avi.vs.table_insert} in HTTP_RESP): for those
 * alone, the first requests of an HTTP/2 connection wait for its first response.
 */
class LearnsInResponseTest {
  private static boolean learns(String request, String response) {
    return CompiledDataScript.compile(
            new DataScriptConfig(
                "s", new DataScriptConfig.Events(request, response, null), List.of()))
        .learnsInResponse();
  }

  @Test
  void tableInsertInTheResponseLearns() {
    assertThat(learns(null, "avi.vs.table_insert(avi.vs.client_ip(), avi.pool.server_ip())"))
        .isTrue();
    assertThat(learns(null, "local t = avi.vs\nt.table_insert('k', 'v')")).isTrue();
  }

  @Test
  void tableInsertInTheRequestOrOtherResponseCallsDoNot() {
    assertThat(learns("avi.vs.table_insert('k', 'v')", null)).isFalse();
    assertThat(learns(null, "avi.vs.table_lookup('k')")).isFalse();
    assertThat(learns(null, null)).isFalse();
  }
}
