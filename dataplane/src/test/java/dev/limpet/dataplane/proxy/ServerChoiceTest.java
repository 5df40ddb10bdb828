package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.ConfigLoader;
import dev.limpet.dataplane.http.ClientRequest;
import dev.limpet.dataplane.upstream.Pool;
import dev.limpet.dataplane.upstream.PoolCatalog;
import dev.limpet.dataplane.upstream.Server;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ServerChoiceTest {
  private Pool pool;
  private final ClientRequest request =
      new ClientRequest(
          new InetSocketAddress("127.0.0.9", 40000),
          StageChannels.get("web.example", HttpVersion.HTTP_1_1));

  @BeforeEach
  void build() throws Exception {
    pool =
        PoolCatalog.build(
                ConfigLoader.parse(
                    """
                    version: "1"
                    pools:
                      - name: web
                        servers:
                          - {name: a, ip: 127.0.0.1, port: 9}
                          - {name: b, ip: 127.0.0.2, port: 9}
                    """),
                PoolCatalog.EMPTY,
                config -> null,
                () -> 0)
            .pool("web");
  }

  @Test
  void aRefusedConnectionMovesAnIdempotentRequestToAnotherServerUntilNoneIsLeft() {
    ServerChoice choice = new ServerChoice(pool, null, request);
    Set<String> tried = new HashSet<>();
    Server first = choice.next().server();
    tried.add(first.name());
    assertThat(choice.server()).isSameAs(first);
    assertThat(choice.refused(true)).isTrue();
    Server second = choice.next().server();
    assertThat(second).isNotSameAs(first);
    tried.add(second.name());
    assertThat(choice.refused(true)).isTrue();
    assertThat(choice.next().server()).isNull();
    assertThat(tried).containsExactlyInAnyOrder("a", "b");
    assertThat(choice.server()).isSameAs(second); // the last one tried, for the log
    assertThat(choice.noServerStatus()).isEqualTo(HttpResponseStatus.BAD_GATEWAY);
    assertThat(choice.noServerReason()).isEqualTo("no server reachable in pool web");
  }

  @Test
  void aRequestThatIsNotIdempotentOrSentPartOfItsBodyIsNotMovedOnARefusal() {
    ServerChoice choice = new ServerChoice(pool, null, request);
    choice.next();
    assertThat(choice.refused(false)).isFalse();
    choice.next();
    choice.bodySent();
    assertThat(choice.refused(true)).isFalse();
  }

  @Test
  void noServerUpIsA503() {
    pool.servers().forEach(s -> s.setHealthy(false));
    ServerChoice choice = new ServerChoice(pool, null, request);
    assertThat(choice.next().server()).isNull();
    assertThat(choice.server()).isNull();
    assertThat(choice.noServerStatus()).isEqualTo(HttpResponseStatus.SERVICE_UNAVAILABLE);
    assertThat(choice.noServerReason()).isEqualTo("no server available in pool web");
  }

  @Test
  void aServerAScriptNamedIsTheOneChosen() {
    Server b = pool.servers().get(1);
    ServerChoice choice = new ServerChoice(pool, b, request);
    for (int i = 0; i < 4; i++) assertThat(choice.next().server()).isSameAs(b);
  }

  @Test
  void aClosedPooledConnectionIsRetriedTwiceForACompleteIdempotentRequestWithoutBody() {
    ServerChoice choice = new ServerChoice(pool, null, request);
    choice.next();
    assertThat(choice.resendAfterClose(false, true, 0)).isFalse();
    assertThat(choice.resendAfterClose(true, false, 0)).isFalse();
    assertThat(choice.resendAfterClose(true, true, 5)).isFalse();
    // those did not use up the retries
    assertThat(choice.resendAfterClose(true, true, 0)).isTrue();
    assertThat(choice.resendAfterClose(true, true, 0)).isTrue();
    assertThat(choice.resendAfterClose(true, true, 0)).isFalse();
  }

  @Test
  void aRequestNoServerProcessedGoesAgainOnceWhateverItsMethodAndItsBodyMayMoveOn() {
    ServerChoice choice = new ServerChoice(pool, null, request);
    choice.next();
    choice.bodySent();
    assertThat(choice.resendUnprocessed()).isTrue();
    // the body reached no server that acted on it: a refusal on the next try may move it on
    choice.next();
    assertThat(choice.refused(true)).isTrue();
    assertThat(choice.resendUnprocessed()).isFalse();
  }
}
