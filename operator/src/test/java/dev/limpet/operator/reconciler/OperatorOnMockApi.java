package dev.limpet.operator.reconciler;

import dev.limpet.operator.RunningOperator;
import dev.limpet.operator.validation.ContractScriptCompiler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;

/**
 * The set-up of a test of the whole operator: fabric8's mock API server in CRUD mode ({@code
 * client} talks to it; a subclass declares a {@code KubernetesMockServer} field to reach the server
 * itself), and the operator started on it before each test and stopped after it. A subclass's own
 * {@code @BeforeEach} runs after the operator has started.
 */
@EnableKubernetesMockClient(crud = true)
@Timeout(90)
abstract class OperatorOnMockApi {
  KubernetesClient client;
  RunningOperator operator;

  @BeforeEach
  final void startOperator() {
    operator = new RunningOperator(client, new ContractScriptCompiler());
  }

  @AfterEach
  final void stopOperator() {
    operator.close();
  }
}
