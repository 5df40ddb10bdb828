package dev.limpet.operator;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.DataScriptSpec;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.PersistenceProfileSpec;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.PoolSpec;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.api.VirtualServiceSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import java.util.List;

/** Builders of the test resources, with only the fields a test cares about. */
public final class TestResources {
  public static final String NS = "shop";

  private TestResources() {}

  public static VirtualService virtualService(String name, int port, String pool) {
    return virtualService(name, port, pool, List.of());
  }

  public static VirtualService virtualService(
      String name, int port, String pool, List<String> hostnames) {
    var vs = new VirtualService();
    vs.setMetadata(meta(name));
    vs.setSpec(
        new VirtualServiceSpec(
            null,
            null,
            port,
            hostnames.isEmpty() ? null : hostnames,
            pool,
            null,
            null,
            null,
            null,
            null,
            null));
    return vs;
  }

  public static Pool staticPool(String name, String profile, String... ips) {
    var pool = new Pool();
    pool.setMetadata(meta(name));
    pool.setSpec(
        new PoolSpec(
            profile,
            null,
            null,
            null,
            java.util.Arrays.stream(ips)
                .map(ip -> new PoolSpec.StaticServer(null, ip, 8080, null, null, null))
                .toList(),
            null,
            null));
    return pool;
  }

  public static Pool servicePool(
      String name, String service, IntOrString port, PoolSpec.HeaderValueSource headerValueFrom) {
    var pool = new Pool();
    pool.setMetadata(meta(name));
    pool.setSpec(
        new PoolSpec(
            null,
            null,
            null,
            new PoolSpec.ServiceRef(service, port, null, headerValueFrom, null),
            null,
            null,
            null));
    return pool;
  }

  public static PersistenceProfile cookieProfile(String name) {
    var profile = new PersistenceProfile();
    profile.setMetadata(meta(name));
    profile.setSpec(
        PersistenceProfileSpec.of(
            PersistenceProfileConfig.Type.HttpCookie,
            null,
            new PersistenceProfileConfig.HttpCookie(
                "SRV", null, null, null, null, null, null, null)));
    return profile;
  }

  public static DataScript dataScript(String name, String httpRequest, String... pools) {
    var script = new DataScript();
    script.setMetadata(meta(name));
    script.setSpec(
        new DataScriptSpec(
            new DataScriptSpec.Events(httpRequest, null, null),
            java.util.Arrays.stream(pools).map(p -> new DataScriptSpec.PoolRef(p, null)).toList()));
    return script;
  }

  /** A Service with one port, {@code portName} (may be null) on 80. */
  public static Service service(String name, String portName) {
    return new ServiceBuilder()
        .withMetadata(meta(name))
        .withNewSpec()
        .addNewPort()
        .withName(portName)
        .withPort(80)
        .withTargetPort(new IntOrString(8080))
        .endPort()
        .endSpec()
        .build();
  }

  /** One endpoint: address, pod, and its (ready, serving, terminating) conditions. */
  public record Ep(String ip, String pod, boolean ready, boolean serving, boolean terminating) {
    public static Ep ready(String ip, String pod) {
      return new Ep(ip, pod, true, true, false);
    }

    public static Ep terminating(String ip, String pod) {
      return new Ep(ip, pod, false, true, true);
    }
  }

  public static EndpointSlice slice(String name, String service, String portName, Ep... eps) {
    var b =
        new EndpointSliceBuilder()
            .withMetadata(
                new ObjectMetaBuilder()
                    .withName(name)
                    .withNamespace(NS)
                    .addToLabels("kubernetes.io/service-name", service)
                    .build())
            .withAddressType("IPv4")
            .addNewPort()
            .withName(portName)
            .withPort(8080)
            .withProtocol("TCP")
            .endPort();
    for (Ep ep : eps) {
      b.addToEndpoints(
          new EndpointBuilder()
              .withAddresses(ep.ip())
              .withHostname(ep.pod())
              .withNewTargetRef()
              .withKind("Pod")
              .withName(ep.pod())
              .withNamespace(NS)
              .endTargetRef()
              .withNewConditions()
              .withReady(ep.ready())
              .withServing(ep.serving())
              .withTerminating(ep.terminating())
              .endConditions()
              .build());
    }
    return b.build();
  }

  public static VirtualServiceSpec withHostnames(VirtualServiceSpec s, List<String> hostnames) {
    return new VirtualServiceSpec(
        s.dataPlaneGroup(),
        s.address(),
        s.port(),
        hostnames,
        s.pool(),
        s.dataScripts(),
        s.networkSecurity(),
        s.timeouts(),
        s.limits(),
        s.service(),
        s.tls());
  }

  public static VirtualServiceSpec withAddress(VirtualServiceSpec s, String address) {
    return new VirtualServiceSpec(
        s.dataPlaneGroup(),
        address,
        s.port(),
        s.hostnames(),
        s.pool(),
        s.dataScripts(),
        s.networkSecurity(),
        s.timeouts(),
        s.limits(),
        s.service(),
        s.tls());
  }

  public static VirtualServiceSpec withExposure(
      VirtualServiceSpec s, VirtualServiceSpec.Exposure exposure) {
    return new VirtualServiceSpec(
        s.dataPlaneGroup(),
        s.address(),
        s.port(),
        s.hostnames(),
        s.pool(),
        s.dataScripts(),
        s.networkSecurity(),
        s.timeouts(),
        s.limits(),
        exposure,
        s.tls());
  }

  public static VirtualServiceSpec withDataScripts(VirtualServiceSpec s, List<String> scripts) {
    return new VirtualServiceSpec(
        s.dataPlaneGroup(),
        s.address(),
        s.port(),
        s.hostnames(),
        s.pool(),
        scripts,
        s.networkSecurity(),
        s.timeouts(),
        s.limits(),
        s.service(),
        s.tls());
  }

  public static VirtualServiceSpec withTls(VirtualServiceSpec s, VirtualServiceSpec.Tls tls) {
    return new VirtualServiceSpec(
        s.dataPlaneGroup(),
        s.address(),
        s.port(),
        s.hostnames(),
        s.pool(),
        s.dataScripts(),
        s.networkSecurity(),
        s.timeouts(),
        s.limits(),
        s.service(),
        tls);
  }

  private static ObjectMeta meta(String name) {
    return new ObjectMetaBuilder().withName(name).withNamespace(NS).build();
  }

  /** A Secret of type kubernetes.io/tls in the test namespace. */
  public static Secret tlsSecret(String name, String certificate, String key) {
    return new SecretBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NS)
        .endMetadata()
        .withType("kubernetes.io/tls")
        .addToStringData("tls.crt", certificate)
        .addToStringData("tls.key", key)
        .build();
  }
}
