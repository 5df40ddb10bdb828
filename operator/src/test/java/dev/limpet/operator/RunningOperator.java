package dev.limpet.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.limpet.contract.DataPlaneGroup;
import dev.limpet.operator.validation.ScriptCompiler;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.Operator;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.awaitility.core.ConditionFactory;

/** The operator started against a (mock) API server, and what tests read back from it. */
public final class RunningOperator implements AutoCloseable {
  private final KubernetesClient client;
  private final Operator operator;
  private final FakeDataPlane replica;

  /**
   * Starts the operator, with one replica of data-plane group {@code default} that applies every
   * configuration at once.
   */
  public RunningOperator(KubernetesClient client, ScriptCompiler compiler) {
    this.client = client;
    try {
      this.replica =
          new FakeDataPlane(client, TestResources.NS, "default", "dataplane-0", "127.0.0.2");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    this.operator = LimpetOperator.create(client, Set.of(), compiler, Clock.systemUTC());
    operator.start();
  }

  /** The readers and writers only, for an operator started elsewhere. */
  public RunningOperator(KubernetesClient client) {
    this.client = client;
    this.operator = null;
    this.replica = null;
  }

  /** The replica of group {@code default} this operator was started with. */
  public FakeDataPlane replica() {
    return replica;
  }

  public static ConditionFactory eventually() {
    return await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        // a status or condition not written yet reads as absent (empty Optional) or null
        .ignoreExceptionsMatching(
            e ->
                e instanceof java.util.NoSuchElementException || e instanceof NullPointerException);
  }

  public <T extends HasMetadata> T create(T resource) {
    return client.resource(resource).create();
  }

  /**
   * Changes a resource as a user would (read, edit, update), again when the operator wrote it in
   * between (409 Conflict).
   */
  public <T extends HasMetadata> void edit(Class<T> type, String name, Consumer<T> change) {
    eventually()
        .ignoreExceptionsMatching(
            e -> e instanceof KubernetesClientException k && k.getCode() == 409)
        .until(
            () -> {
              client
                  .resources(type)
                  .inNamespace(TestResources.NS)
                  .withName(name)
                  .edit(
                      r -> {
                        change.accept(r);
                        return r;
                      });
              return true;
            });
  }

  public <T extends HasMetadata> T get(Class<T> type, String name) {
    return client.resources(type).inNamespace(TestResources.NS).withName(name).get();
  }

  /** The named condition of a custom resource, if it has one yet. */
  public Optional<Condition> condition(
      Class<? extends CustomResource<?, ?>> type, String name, String conditionType) {
    CustomResource<?, ?> resource = get(type, name);
    if (resource == null || resource.getStatus() == null) return Optional.empty();
    return conditions(resource.getStatus()).stream()
        .filter(c -> conditionType.equals(c.getType()))
        .findFirst();
  }

  /** Waits until the custom resource's Ready condition is True. */
  public void awaitReady(Class<? extends CustomResource<?, ?>> type, String name) {
    eventually()
        .untilAsserted(
            () ->
                assertThat(condition(type, name, "Ready").orElseThrow().getStatus())
                    .as("%s %s Ready", type.getSimpleName(), name)
                    .isEqualTo("True"));
  }

  public Optional<String> groupConfig(String group) {
    ConfigMap cm =
        client
            .configMaps()
            .inNamespace(TestResources.NS)
            .withName(DataPlaneGroup.configMapName(group))
            .get();
    return Optional.ofNullable(cm).map(c -> c.getData().get(DataPlaneGroup.CONFIG_KEY));
  }

  public List<io.fabric8.kubernetes.api.model.Event> events(String involvedName) {
    return client.v1().events().inNamespace(TestResources.NS).list().getItems().stream()
        .filter(e -> involvedName.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static List<Condition> conditions(Object status) {
    try {
      Method m = status.getClass().getMethod("conditions");
      List<Condition> list = (List<Condition>) m.invoke(status);
      return list == null ? List.of() : list;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    if (operator != null) operator.stop();
    if (replica != null) replica.close();
  }
}
