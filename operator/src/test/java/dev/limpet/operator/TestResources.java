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
import java.util.function.Consumer;

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
    var fields = new VsFields(port, pool);
    if (!hostnames.isEmpty()) fields.hostnames = hostnames;
    vs.setSpec(fields.spec());
    return vs;
  }

  /** A VirtualService that runs {@code dataScripts}, in this order. */
  public static VirtualService scriptedVirtualService(
      String name, int port, String pool, String... dataScripts) {
    VirtualService vs = virtualService(name, port, pool);
    vs.setSpec(withDataScripts(vs.getSpec(), List.of(dataScripts)));
    return vs;
  }

  public static Pool staticPool(String name, String profile, String... ips) {
    return pool(
        name,
        profile,
        null,
        java.util.Arrays.stream(ips)
            .map(ip -> new PoolSpec.StaticServer(null, ip, 8080, null, null, null))
            .toList());
  }

  public static Pool servicePool(
      String name, String service, IntOrString port, PoolSpec.HeaderValueSource headerValueFrom) {
    return pool(
        name, null, new PoolSpec.ServiceRef(service, port, null, headerValueFrom, null), null);
  }

  /** A Pool of the Service {@code service} or of the static {@code servers}. */
  private static Pool pool(
      String name,
      String profile,
      PoolSpec.ServiceRef service,
      List<PoolSpec.StaticServer> servers) {
    var pool = new Pool();
    pool.setMetadata(meta(name));
    pool.setSpec(new PoolSpec(profile, null, null, service, servers, null, null, null));
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
    return with(s, f -> f.hostnames = hostnames);
  }

  public static VirtualServiceSpec withAddress(VirtualServiceSpec s, String address) {
    return with(s, f -> f.address = address);
  }

  public static VirtualServiceSpec withExposure(
      VirtualServiceSpec s, VirtualServiceSpec.Exposure exposure) {
    return with(s, f -> f.service = exposure);
  }

  public static VirtualServiceSpec withDataScripts(VirtualServiceSpec s, List<String> scripts) {
    return with(s, f -> f.dataScripts = scripts);
  }

  public static VirtualServiceSpec withTls(VirtualServiceSpec s, VirtualServiceSpec.Tls tls) {
    return with(s, f -> f.tls = tls);
  }

  public static VirtualServiceSpec withClientAddress(
      VirtualServiceSpec s, VirtualServiceSpec.ClientAddress clientAddress) {
    return with(s, f -> f.clientAddress = clientAddress);
  }

  public static VirtualServiceSpec withHttp2(VirtualServiceSpec s, VirtualServiceSpec.Http2 h2) {
    return with(s, f -> f.http2 = h2);
  }

  /** {@code s} with the fields {@code change} sets changed. */
  private static VirtualServiceSpec with(VirtualServiceSpec s, Consumer<VsFields> change) {
    var fields = new VsFields(s);
    change.accept(fields);
    return fields.spec();
  }

  /** A VirtualServiceSpec's fields, to change some: the one place that lists them in order. */
  private static final class VsFields {
    String dataPlaneGroup;
    String address;
    Integer port;
    List<String> hostnames;
    String pool;
    List<String> dataScripts;
    VirtualServiceSpec.NetworkSecurity networkSecurity;
    VirtualServiceSpec.Timeouts timeouts;
    VirtualServiceSpec.Limits limits;
    VirtualServiceSpec.Exposure service;
    VirtualServiceSpec.Tls tls;
    VirtualServiceSpec.ClientAddress clientAddress;
    VirtualServiceSpec.Http2 http2;

    VsFields(int port, String pool) {
      this.port = port;
      this.pool = pool;
    }

    VsFields(VirtualServiceSpec s) {
      dataPlaneGroup = s.dataPlaneGroup();
      address = s.address();
      port = s.port();
      hostnames = s.hostnames();
      pool = s.pool();
      dataScripts = s.dataScripts();
      networkSecurity = s.networkSecurity();
      timeouts = s.timeouts();
      limits = s.limits();
      service = s.service();
      tls = s.tls();
      clientAddress = s.clientAddress();
      http2 = s.http2();
    }

    VirtualServiceSpec spec() {
      return new VirtualServiceSpec(
          dataPlaneGroup,
          address,
          port,
          hostnames,
          pool,
          dataScripts,
          networkSecurity,
          timeouts,
          limits,
          service,
          tls,
          clientAddress,
          http2);
    }
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
