package dev.limpet.operator.validation;

import static dev.limpet.operator.TestResources.servicePool;
import static dev.limpet.operator.TestResources.staticPool;
import static dev.limpet.operator.TestResources.virtualService;
import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.ServerConfig;
import dev.limpet.operator.api.PoolSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SpecValidatorTest {
  private static final PersistenceProfileConfig BY_HEADER =
      new PersistenceProfileConfig(
          "h",
          PersistenceProfileConfig.Type.CustomHeader,
          null,
          new PersistenceProfileConfig.CustomHeader("X-Backend"));

  @Test
  void aValidVirtualServiceHasNoProblemsAndReferencesAreLeftToResolvedRefs() {
    var vs = virtualService("web", 80, "no-such-pool");
    vs.setSpec(
        new dev.limpet.operator.api.VirtualServiceSpec(
            null,
            null,
            80,
            null,
            "no-such-pool",
            List.of("no-such-script"),
            null,
            null,
            null,
            null,
            null));
    assertThat(SpecValidator.virtualService(vs)).isEmpty();
  }

  @Test
  void problemsNameTheSpecField() {
    var vs = virtualService("web", 0, "p", List.of("bad host!"));
    assertThat(SpecValidator.virtualService(vs))
        .containsExactly(
            "spec.port: 0 is out of range 1..65535",
            "spec.hostnames[0]: 'bad host!' is not a hostname (a leading '*.' is allowed)");
  }

  @Test
  void theDataPlanesOwnAdminAndPeerPortsAreRefused() {
    assertThat(SpecValidator.virtualService(virtualService("web", 9901, "p")))
        .containsExactly(
            "spec.port: 9901 is the data plane's admin port, taken in every data-plane pod;"
                + " use another port");
    assertThat(SpecValidator.virtualService(virtualService("web", 9902, "p")))
        .containsExactly(
            "spec.port: 9902 is the data plane's peer (replication) port, taken in every"
                + " data-plane pod; use another port");
    assertThat(SpecValidator.virtualService(virtualService("web", 9903, "p"))).isEmpty();
  }

  @Test
  void aListedServerKeepsItsSpecPathAndAnEndpointServerIsNamedByAddress() {
    var pool = staticPool("p", "h", "10.0.0.1");
    var endpoint = new ServerConfig("web-a", "10.1.0.1", 8080, 1, true, false, null);

    assertThat(SpecValidator.pool(pool, BY_HEADER, List.of(endpoint)))
        .containsExactly(
            "spec.servers[0].headerValue: is required: the pool uses CustomHeader persistence",
            "endpoint 10.1.0.1:8080.headerValue: is required: the pool uses CustomHeader"
                + " persistence");
  }

  @Test
  void podLabelNeedsItsLabel() {
    var pool = servicePool("p", "web", new IntOrString(80), PoolSpec.HeaderValueSource.PodLabel);
    assertThat(SpecValidator.pool(pool, null, List.of()))
        .containsExactly(
            "spec.service.headerValueLabel: is required with headerValueFrom PodLabel and only"
                + " allowed with it");
  }

  @Test
  void aPoolWithoutServersOrServiceCannotWork() {
    var pool = staticPool("p", null);
    assertThat(SpecValidator.pool(pool, null, List.of()))
        .containsExactly("spec: a Pool needs a service, servers, or both");
  }
}
