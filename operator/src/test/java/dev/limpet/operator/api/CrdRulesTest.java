package dev.limpet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.limpet.operator.api.CrdRules.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every CEL rule of the checked-in CRDs, compiled and run by cel-java (the CEL Kubernetes uses) on
 * the examples, on a table of valid and invalid objects per rule, and on objects that omit every
 * optional field: what a real API server does on {@code kubectl apply}, which the mock API server
 * of the other operator tests does not.
 */
@Timeout(60)
class CrdRulesTest {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Map<String, CrdRules> BY_KIND = new LinkedHashMap<>();

  static {
    for (String plural :
        List.of("persistenceprofiles", "pools", "virtualservices", "datascripts")) {
      CrdRules crd = CrdRules.load(plural);
      BY_KIND.put(crd.kind(), crd);
    }
  }

  /** One row: a spec, and the messages the API server refuses it with (none: accepted). */
  record Case(String kind, String spec, List<String> refusals) {
    @Override
    public String toString() {
      return kind + " " + spec + (refusals.isEmpty() ? " accepted" : " refused");
    }
  }

  static Case ok(String kind, String spec) {
    return new Case(kind, spec, List.of());
  }

  static Case refused(String kind, String spec, String... messages) {
    return new Case(kind, spec, List.of(messages));
  }

  static Stream<Case> table() {
    String pp = "PersistenceProfile";
    String pool = "Pool";
    String vs = "VirtualService";
    String ds = "DataScript";
    return Stream.of(
        // PersistenceProfile: the settings block matches the type
        ok(pp, "{type: ClientIP}"),
        ok(pp, "{type: ClientIP, clientIp: {timeoutMinutes: 1}}"),
        refused(
            pp, "{type: HttpCookie, clientIp: {}}", "clientIp is only allowed with type ClientIP"),
        ok(pp, "{type: HttpCookie, httpCookie: {}}"),
        refused(
            pp,
            "{type: ClientIP, httpCookie: {name: c}}",
            "httpCookie is only allowed with type HttpCookie"),
        ok(pp, "{type: AppCookie, appCookie: {name: JSESSIONID}}"),
        refused(pp, "{type: TLS, appCookie: {}}", "appCookie is only allowed with type AppCookie"),
        ok(pp, "{type: CustomHeader, customHeader: {name: X-Server}}"),
        refused(
            pp,
            "{type: CustomHeader}",
            "customHeader is required with type CustomHeader and only allowed with it"),
        refused(
            pp,
            "{type: ClientIP, customHeader: {name: X-Server}}",
            "customHeader is required with type CustomHeader and only allowed with it"),
        ok(pp, "{type: TLS, tls: {timeoutMinutes: 5}}"),
        refused(pp, "{type: ClientIP, tls: {}}", "tls is only allowed with type TLS"),
        ok(pp, "{type: HttpCookie, httpCookie: {sameSite: None, secure: true}}"),
        ok(pp, "{type: HttpCookie, httpCookie: {sameSite: Lax}}"),
        refused(
            pp,
            "{type: HttpCookie, httpCookie: {sameSite: None}}",
            "sameSite None requires secure: true (browsers drop the cookie otherwise)"),
        refused(
            pp,
            "{type: HttpCookie, httpCookie: {sameSite: None, secure: false}}",
            "sameSite None requires secure: true (browsers drop the cookie otherwise)"),
        ok(pp, "{type: HttpCookie, httpCookie: {partitioned: true, secure: true}}"),
        ok(pp, "{type: HttpCookie, httpCookie: {partitioned: false}}"),
        refused(
            pp,
            "{type: HttpCookie, httpCookie: {partitioned: true}}",
            "partitioned requires secure: true (browsers drop the cookie otherwise)"),
        // Pool
        ok(pool, "{service: {name: demo, port: http}}"),
        ok(pool, "{servers: [{ip: 10.0.0.1, port: 80}]}"),
        refused(pool, "{}", "a Pool needs a service, servers, or both"),
        refused(pool, "{servers: []}", "a Pool needs a service, servers, or both"),
        ok(pool, "{service: {name: demo, port: 80}, healthMonitors: [{name: a}, {name: b}]}"),
        refused(
            pool,
            "{service: {name: demo, port: 80}, healthMonitors: [{name: a}, {name: a}]}",
            "health monitor names must be unique within the pool"),
        ok(
            pool,
            "{service: {name: demo, port: 80}, healthMonitors: [{name: h, type: Http, http: {}}]}"),
        refused(
            pool,
            "{service: {name: demo, port: 80}, healthMonitors: [{name: h, http: {path: /}}]}",
            "http is only allowed with type Http"),
        ok(
            pool,
            "{service: {name: demo, port: 80}, healthMonitors: [{name: g, type: Grpc}, {name: s,"
                + " type: Grpc, grpc: {service: shop.v1.Cart, authority: cart.example:50051}}]}"),
        refused(
            pool,
            "{service: {name: demo, port: 80}, healthMonitors: [{name: g, grpc: {service: x}}]}",
            "grpc is only allowed with type Grpc"),
        refused(
            pool,
            "{service: {name: demo, port: 80}, healthMonitors: [{name: g, type: Http, grpc: {}}]}",
            "grpc is only allowed with type Grpc"),
        ok(
            pool,
            "{service: {name: d, port: 80}, healthMonitors: [{name: h, timeoutSeconds: 5,"
                + " intervalSeconds: 5}]}"),
        refused(
            pool,
            "{service: {name: d, port: 80}, healthMonitors: [{name: h, timeoutSeconds: 11}]}",
            "timeoutSeconds must not exceed intervalSeconds"),
        ok(pool, "{service: {name: d, port: 80}, loadBalancing: {algorithm: ConsistentHash}}"),
        ok(
            pool,
            "{service: {name: d, port: 80}, loadBalancing: {algorithm: ConsistentHash,"
                + " hashKey: Header, hashName: X-User}}"),
        refused(
            pool,
            "{service: {name: d, port: 80}, loadBalancing: {algorithm: ConsistentHash,"
                + " hashKey: Cookie}}",
            "hashName is required when ConsistentHash hashes a Header or Cookie"),
        ok(pool, "{service: {name: d, port: 80, headerValueFrom: PodName}}"),
        ok(
            pool,
            "{service: {name: d, port: 80, headerValueFrom: PodLabel, headerValueLabel: app}}"),
        refused(
            pool,
            "{service: {name: d, port: 80, headerValueFrom: PodLabel}}",
            "headerValueLabel is required with headerValueFrom PodLabel"),
        refused(
            pool,
            "{service: {name: d, port: 80, headerValueLabel: app}}",
            "headerValueLabel is only allowed with headerValueFrom PodLabel"),
        refused(
            pool,
            "{service: {name: d, port: 80, headerValueFrom: Hostname, headerValueLabel: app}}",
            "headerValueLabel is only allowed with headerValueFrom PodLabel"),
        // VirtualService
        ok(vs, "{port: 80, pool: web}"),
        ok(vs, "{port: 80, pool: web, hostnames: [a.example.com, '*.example.com']}"),
        refused(
            vs,
            "{port: 80, pool: web, hostnames: [a.example, b.example, a.example]}",
            "hostnames must be unique"),
        refused(
            vs,
            "{port: 9901, pool: web}",
            "port 9901 and 9902 are the data plane's own admin and peer ports"),
        refused(
            vs,
            "{port: 9902, pool: web}",
            "port 9901 and 9902 are the data plane's own admin and peer ports"),
        ok(vs, "{port: 80, pool: web, service: {type: NodePort, nodePort: 30080}}"),
        ok(vs, "{port: 80, pool: web, service: {type: LoadBalancer, nodePort: 30080}}"),
        refused(
            vs,
            "{port: 80, pool: web, service: {nodePort: 30080}}",
            "nodePort is only allowed with type NodePort or LoadBalancer"),
        ok(
            vs,
            "{port: 80, pool: web, service: {type: LoadBalancer, externalTrafficPolicy: Local}}"),
        refused(
            vs,
            "{port: 80, pool: web, service: {externalTrafficPolicy: Local}}",
            "externalTrafficPolicy is only allowed with type NodePort or LoadBalancer"),
        ok(vs, "{port: 443, pool: web, tls: {certificates: [{secretName: a}, {secretName: b}]}}"),
        refused(
            vs,
            "{port: 443, pool: web, tls: {certificates: [{secretName: a}, {secretName: a,"
                + " hostnames: [x.example]}]}}",
            "each Secret may be listed once"),
        // DataScript
        ok(ds, "{events: {httpRequest: 'return'}}"),
        ok(ds, "{events: {httpResponseFailed: 'return'}, pools: [{pool: a}, {pool: b}]}"),
        ok(ds, "{events: {httpRequest: 'return'}, pools: [{pool: a}, {pool: b, scriptName: c}]}"),
        refused(
            ds,
            "{events: {}}",
            "needs at least one of httpRequest, httpResponse, httpResponseFailed"),
        refused(
            ds,
            "{events: {httpRequest: 'return'}, pools: [{pool: a}, {pool: a}]}",
            "each pool's scriptName (default: its pool name) must be unique"),
        refused(
            ds,
            "{events: {httpRequest: 'return'}, pools: [{pool: a}, {pool: b, scriptName: a}]}",
            "each pool's scriptName (default: its pool name) must be unique"));
  }

  @ParameterizedTest
  @MethodSource("table")
  void eachRuleAcceptsAndRefusesWhatItShould(Case row) throws IOException {
    Map<String, Object> object = resource(row.kind(), row.spec());

    assertThat(BY_KIND.get(row.kind()).validate(object))
        .extracting(Violation::message)
        .containsExactlyInAnyOrderElementsOf(row.refusals());
  }

  @Test
  void everyRuleRefusesSomethingInTheTable() {
    Set<String> refusals = new HashSet<>();
    table().forEach(row -> refusals.addAll(row.refusals()));
    List<String> untested = new ArrayList<>();
    BY_KIND.values().stream()
        .flatMap(crd -> crd.rules().stream())
        .filter(rule -> !refusals.contains(rule.refusal()))
        .forEach(rule -> untested.add(rule.path() + ": " + rule.refusal()));

    assertThat(untested).as("rules no row of the table refuses").isEmpty();
    assertThat(BY_KIND.values().stream().mapToInt(crd -> crd.rules().size()).sum())
        .isGreaterThanOrEqualTo(19);
  }

  @Test
  void everyLimpetResourceOfTheExamplesPassesEveryRule() throws IOException {
    Map<String, Integer> checked = new LinkedHashMap<>();
    List<String> refusals = new ArrayList<>();
    for (Path file : exampleFiles()) {
      for (Map<String, Object> object : documents(file)) {
        if (!String.valueOf(object.get("apiVersion")).startsWith("limpet.dev/")) continue;
        String kind = String.valueOf(object.get("kind"));
        assertThat(BY_KIND).as("%s in %s", kind, file).containsKey(kind);
        checked.merge(kind, 1, Integer::sum);
        BY_KIND.get(kind).validate(object).forEach(v -> refusals.add(file + ": " + kind + " " + v));
      }
    }

    assertThat(refusals).isEmpty();
    assertThat(checked).containsOnlyKeys(BY_KIND.keySet());
  }

  /**
   * The shape of objects Kubernetes' own apiextensions tests hold every rule against: each object,
   * and each optional field or block added alone to the smallest one, with and without the schema's
   * defaults. A rule may refuse such an object with its message, but no rule may fail to evaluate
   * (a field read without {@code has()}: {@code no such key}).
   */
  @Test
  void objectsThatOmitOptionalFieldsNeverMakeARuleFail() {
    List<String> failures = new ArrayList<>();
    int objects = 0;
    for (CrdRules crd : BY_KIND.values()) {
      Set<String> messages = new HashSet<>();
      crd.rules().forEach(rule -> messages.add(rule.refusal()));
      for (Map<String, Object> object : MinimalObjects.of(crd.schema())) {
        objects++;
        Stream.concat(crd.validate(object).stream(), crd.validateWithoutDefaults(object).stream())
            .filter(v -> !messages.contains(v.message()))
            .forEach(v -> failures.add(crd.kind() + " " + object + ": " + v));
      }
    }

    assertThat(failures).isEmpty();
    assertThat(objects).isGreaterThan(100);
  }

  @Test
  void aRuleThatReadsAnOptionalFieldWithoutHasFailsToEvaluate() throws IOException {
    // the harness reports what the API server reports for finding 2 of issue 12: the old rule
    CrdRules pool = CrdRules.load("pools");
    var broken =
        pool.withRule(
            "Pool.spec.service",
            "has(self.headerValueLabel) || self.headerValueFrom != 'PodLabel'",
            "headerValueLabel is required with headerValueFrom PodLabel");

    assertThat(broken.validate(resource("Pool", "{service: {name: demo, port: http}}")))
        .extracting(Violation::message)
        .singleElement()
        .satisfies(m -> assertThat(m).contains("headerValueFrom").doesNotStartWith("headerValue"));
  }

  @Test
  void aRuleThatNamesAFieldTheSchemaLacksOrComparesWrongTypesDoesNotCompile() {
    // the API server refuses such a CRD; so does the harness, because self is typed from the schema
    CrdRules vs = CrdRules.load("virtualservices");

    assertThatThrownBy(() -> vs.withRule("VirtualService.spec", "self.prot == 80", "m"))
        .hasMessageContaining("does not compile")
        .hasMessageContaining("prot");
    assertThatThrownBy(() -> vs.withRule("VirtualService.spec", "self.port == 'http'", "m"))
        .hasMessageContaining("does not compile");
    assertThatThrownBy(() -> vs.withRule("VirtualService.spec", "self.port", "m"))
        .hasMessageContaining("does not compile");
  }

  @Test
  void aTransitionRuleSeesOldSelfOnUpdatesOnly() throws IOException {
    // no rule of the CRDs is one today; the harness runs them as the API server would
    CrdRules vs =
        CrdRules.load("virtualservices")
            .withRule("VirtualService.spec", "self.port == oldSelf.port", "port is immutable");
    Map<String, Object> before = resource("VirtualService", "{port: 80, pool: web}");
    Map<String, Object> after = resource("VirtualService", "{port: 81, pool: web}");

    assertThat(vs.validate(after)).isEmpty();
    assertThat(vs.validate(after, before))
        .containsExactly(new Violation("VirtualService.spec", "port is immutable"));
    assertThat(vs.validate(after, after)).isEmpty();
  }

  static Map<String, Object> resource(String kind, String spec) throws IOException {
    Map<String, Object> object = new LinkedHashMap<>();
    object.put("apiVersion", "limpet.dev/v1alpha1");
    object.put("kind", kind);
    object.put("metadata", Map.of("name", "x", "namespace", "shop"));
    object.put("spec", YAML.readValue(spec, new TypeReference<Map<String, Object>>() {}));
    return object;
  }

  private static List<Path> exampleFiles() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("../examples"))) {
      return files
          .filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
          .sorted()
          .toList();
    }
  }

  private static List<Map<String, Object>> documents(Path file) throws IOException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (var parser = YAML.getFactory().createParser(file.toFile())) {
      var documents = YAML.readValues(parser, new TypeReference<Map<String, Object>>() {});
      while (documents.hasNext()) {
        Map<String, Object> document = documents.next();
        if (document != null) out.add(document);
      }
    }
    return out;
  }
}
