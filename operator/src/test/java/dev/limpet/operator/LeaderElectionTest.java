package dev.limpet.operator;

import static dev.limpet.operator.RunningOperator.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.testsupport.MockApi;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two operator processes on one API: one leads, the other waits, a graceful stop hands over. */
@EnableKubernetesMockClient(crud = true)
@Timeout(90)
class LeaderElectionTest {
  KubernetesClient client;
  KubernetesMockServer server;
  final Deque<AutoCloseable> started = new ArrayDeque<>();

  @BeforeEach
  void allowLeases() {
    MockApi.grantLeaseAccess(server);
  }

  @AfterEach
  void stop() throws Exception {
    while (!started.isEmpty()) started.pop().close();
  }

  @Test
  void oneLeadsTheOtherWaitsAndAGracefulStopHandsOverAtOnce() throws Exception {
    OperatorProcess first = start("first");
    eventually().until(first::leading);
    OperatorProcess second = start("second");

    // the second is up (ready: it would serve the webhook) but does not lead
    eventually().until(second::ready);
    eventually()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> first.leading() && !second.leading());
    assertThat(holder()).isEqualTo("first");

    first.close();

    // without a release the second would wait for the lease duration (15 s) to run out
    eventually().atMost(Duration.ofSeconds(5)).until(second::leading);
    assertThat(holder()).isEqualTo("second");
  }

  private String holder() {
    return client
        .leases()
        .inNamespace("limpet-system")
        .withName("limpet-operator")
        .get()
        .getSpec()
        .getHolderIdentity();
  }

  private OperatorProcess start(String identity) throws Exception {
    KubernetesClient own = ApiCall.operatorClient(client);
    started.push(own);
    var process =
        new OperatorProcess(
            own, LoopbackSettings.of(Optional.of(LoopbackSettings.lease(identity)), false));
    started.push(process);
    process.start();
    return process;
  }
}
