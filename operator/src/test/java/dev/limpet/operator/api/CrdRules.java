package dev.limpet.operator.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every {@code x-kubernetes-validations} rule of one checked-in CRD, compiled by cel-java the way
 * the API server compiles it and run on objects the way it runs them.
 *
 * <p>What the API server does and this does too: {@code self} is typed from the schema (an object
 * with properties is a struct whose fields are its properties, so a rule naming a field the schema
 * lacks does not compile; {@code x-kubernetes-int-or-string} is {@code dyn}); the rule must return
 * a bool; Kubernetes' libraries are on (the strings and lists extensions, and the standard macros
 * {@code has}, {@code all}, {@code exists}, {@code exists_one}, {@code map}, {@code filter});
 * defaults of the schema are applied before the rules run; a rule runs once per value it sits on
 * (per item under an array) and only where that value is present; an error while evaluating refuses
 * the object, as a false result does. Transition rules ({@code oldSelf}) run only when an old
 * object is given. Not done here: Kubernetes' cost estimate (see {@link CrdRuleBoundsTest}) and the
 * Kubernetes-only functions (url, quantity, ip, cidr), which no rule uses.
 */
final class CrdRules {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  /** One rule where it sits in the schema. */
  record Rule(String path, JsonNode schema, String expression, String message, boolean transition) {
    /** What the API server reports when the rule refuses a value. */
    String refusal() {
      return message != null ? message : "failed rule: " + expression;
    }
  }

  /** One refusal: where, and the message the API server would give. */
  record Violation(String path, String message) {}

  private final String kind;
  private final JsonNode schema;
  private final List<Rule> rules = new ArrayList<>();
  private final Map<Rule, CelRuntime.Program> programs = new HashMap<>();
  private final Map<String, StructType> structs = new LinkedHashMap<>();

  private CrdRules(String kind, JsonNode schema) {
    this.kind = kind;
    this.schema = schema;
    collect(schema, kind);
    for (Rule rule : rules) programs.put(rule, compile(rule));
  }

  /** The CRD {@code <plural>.limpet.dev} as checked in under crds/. */
  static CrdRules load(String plural) {
    JsonNode crd = crd(plural);
    JsonNode version = crd.at("/spec/versions/0");
    return new CrdRules(crd.at("/spec/names/kind").asText(), version.at("/schema/openAPIV3Schema"));
  }

  static JsonNode crd(String plural) {
    try {
      return YAML.readTree(Path.of("../crds", plural + ".limpet.dev-v1.yml").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A copy whose node at {@code path} has this one rule instead of its own: for testing the
   * harness.
   */
  CrdRules withRule(String path, String rule, String message) {
    ObjectNode copy = schema.deepCopy();
    JsonNode node = copy;
    for (String property : path.substring(kind.length() + 1).split("\\."))
      node = node.path("properties").path(property);
    ArrayNode rules = ((ObjectNode) node).putArray("x-kubernetes-validations");
    rules.addObject().put("rule", rule).put("message", message);
    return new CrdRules(kind, copy);
  }

  String kind() {
    return kind;
  }

  JsonNode schema() {
    return schema;
  }

  List<Rule> rules() {
    return List.copyOf(rules);
  }

  /** Defaults applied, then every rule on every value present, as on a create. */
  List<Violation> validate(Map<String, Object> object) {
    return validate(object, null);
  }

  /** Defaults applied to both, then every rule; transition rules see the old value too. */
  List<Violation> validate(Map<String, Object> object, Map<String, Object> old) {
    Object defaulted = SchemaValues.of(schema, object, true);
    Object oldDefaulted = old == null ? null : SchemaValues.of(schema, old, true);
    List<Violation> out = new ArrayList<>();
    evaluate(schema, kind, defaulted, oldDefaulted, out);
    return out;
  }

  /** Every rule on the object exactly as given, without the schema's defaults. */
  List<Violation> validateWithoutDefaults(Map<String, Object> object) {
    List<Violation> out = new ArrayList<>();
    evaluate(schema, kind, SchemaValues.of(schema, object, false), null, out);
    return out;
  }

  /**
   * What evaluating {@code rule} on {@code self} costs, counted the way Kubernetes counts at run
   * time, approximately: one per expression evaluated, plus one per ten characters of every string
   * an expression yields (what comparing it costs).
   */
  long cost(Rule rule, Object self) throws CelEvaluationException {
    long[] cost = {0};
    programs
        .get(rule)
        .trace(
            Map.of("self", SchemaValues.of(rule.schema(), self, false)),
            (expression, result) -> {
              cost[0]++;
              if (result instanceof String s) cost[0] += (s.length() + 9) / 10;
            });
    return cost[0];
  }

  private void collect(JsonNode node, String path) {
    for (JsonNode rule : node.path("x-kubernetes-validations")) {
      String expression = rule.path("rule").asText();
      rules.add(
          new Rule(
              path,
              node,
              expression,
              rule.hasNonNull("message") ? rule.get("message").asText() : null,
              expression.contains("oldSelf")));
    }
    node.path("properties")
        .fields()
        .forEachRemaining(f -> collect(f.getValue(), path + "." + f.getKey()));
    if (node.has("items")) collect(node.get("items"), path + "[*]");
    if (node.path("additionalProperties").isObject())
      collect(node.get("additionalProperties"), path + "[*]");
  }

  private void evaluate(JsonNode node, String path, Object value, Object old, List<Violation> out) {
    if (value == null) return;
    for (Rule rule : rules) {
      if (rule.schema() != node || (rule.transition() && old == null)) continue;
      Map<String, Object> variables = new HashMap<>();
      variables.put("self", value);
      if (rule.transition()) variables.put("oldSelf", old);
      try {
        if (!Boolean.TRUE.equals(programs.get(rule).eval(variables)))
          out.add(new Violation(path, rule.refusal()));
      } catch (CelEvaluationException e) {
        out.add(new Violation(path, e.getMessage() + " evaluating rule: " + rule.refusal()));
      }
    }
    if (value instanceof Map<?, ?> map) {
      node.path("properties")
          .fields()
          .forEachRemaining(
              f ->
                  evaluate(
                      f.getValue(),
                      path + "." + f.getKey(),
                      map.get(f.getKey()),
                      old instanceof Map<?, ?> o ? o.get(f.getKey()) : null,
                      out));
      if (node.path("additionalProperties").isObject())
        map.forEach(
            (key, item) ->
                evaluate(
                    node.get("additionalProperties"),
                    path + "[" + key + "]",
                    item,
                    old instanceof Map<?, ?> o ? o.get(key) : null,
                    out));
    }
    if (value instanceof List<?> list && node.has("items"))
      // an old item is paired by position only for atomic lists; the list-map keys are not used
      // here
      for (int i = 0; i < list.size(); i++)
        evaluate(node.get("items"), path + "[" + i + "]", list.get(i), null, out);
  }

  private CelRuntime.Program compile(Rule rule) {
    CelType self = celType(rule.schema(), rule.path());
    var builder =
        CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current().build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings(), CelExtensions.lists())
            .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.lists())
            .setTypeProvider(new SchemaTypes())
            .setResultType(SimpleType.BOOL)
            .addVar("self", self);
    if (rule.transition()) builder.addVar("oldSelf", self);
    Cel cel = builder.build();
    try {
      return cel.createProgram(cel.compile(rule.expression()).getAst());
    } catch (CelValidationException | CelEvaluationException e) {
      throw new IllegalStateException(
          "rule at "
              + rule.path()
              + " does not compile (the API server refuses the CRD): "
              + e.getMessage(),
          e);
    }
  }

  /** The CEL type the API server gives a value of this schema. */
  private CelType celType(JsonNode node, String path) {
    if (node.path("x-kubernetes-int-or-string").asBoolean()
        || node.path("x-kubernetes-preserve-unknown-fields").asBoolean()) return SimpleType.DYN;
    return switch (node.path("type").asText()) {
      case "string" -> SimpleType.STRING;
      case "integer" -> SimpleType.INT;
      case "number" -> SimpleType.DOUBLE;
      case "boolean" -> SimpleType.BOOL;
      case "array" -> ListType.create(celType(node.path("items"), path + "[*]"));
      case "object" ->
          node.has("properties")
              ? struct(node, path)
              : MapType.create(
                  SimpleType.STRING,
                  node.path("additionalProperties").isObject()
                      ? celType(node.get("additionalProperties"), path + "[*]")
                      : SimpleType.DYN);
      default -> SimpleType.DYN;
    };
  }

  private StructType struct(JsonNode node, String path) {
    StructType existing = structs.get(path);
    if (existing != null) return existing;
    ImmutableSet.Builder<String> names = ImmutableSet.builder();
    node.path("properties").fieldNames().forEachRemaining(names::add);
    StructType type =
        StructType.create(
            path,
            names.build(),
            field ->
                node.path("properties").has(field)
                    ? Optional.of(celType(node.path("properties").get(field), path + "." + field))
                    : Optional.empty());
    structs.put(path, type);
    return type;
  }

  /** Resolves the struct types made from the schema by name, for the type checker. */
  private final class SchemaTypes implements CelTypeProvider {
    @Override
    public ImmutableList<CelType> types() {
      return ImmutableList.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String name) {
      return Optional.ofNullable(structs.get(name));
    }
  }
}
