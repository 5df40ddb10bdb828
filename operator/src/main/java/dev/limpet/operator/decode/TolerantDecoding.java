package dev.limpet.operator.decode;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's serialization: Limpet resources are read so that one resource never stops the
 * operator. The CRD in a cluster may be older or newer than the operator (Helm never upgrades CRDs;
 * an operator may be rolled back), and the informers list every resource of a kind in one response,
 * where one unreadable item would fail the whole list and stop the operator at every restart.
 *
 * <ul>
 *   <li>an unknown field is skipped, with one log line per resource version;
 *   <li>a value of the wrong type or an unknown enum value leaves the resource's spec (or status)
 *       unread: the resource is kept with that part null, and {@link SpecProblems} says which field
 *       failed, for its reconciler to report as a condition. The object in the API is not touched.
 * </ul>
 */
public final class TolerantDecoding {
  private static final Logger LOG = LoggerFactory.getLogger(TolerantDecoding.class);
  private static final String API_PACKAGE = "dev.limpet.operator.api";
  private static final Object UNKNOWN_FIELDS = new Object();

  /** Resource versions whose unknown fields were logged already (bounded). */
  private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

  private static final int LOGGED_MAX = 10_000;

  private TolerantDecoding() {}

  /**
   * A serialization for the operator's client that records unreadable specs in {@code problems}.
   */
  public static KubernetesSerialization serialization(SpecProblems problems) {
    ObjectMapper mapper = new ObjectMapper();
    SimpleModule module = new SimpleModule("limpet-tolerant-decoding");
    module.setDeserializerModifier(
        new BeanDeserializerModifier() {
          @Override
          public JsonDeserializer<?> modifyDeserializer(
              DeserializationConfig config,
              BeanDescription bean,
              JsonDeserializer<?> deserializer) {
            Class<?> type = bean.getBeanClass();
            boolean limpet =
                CustomResource.class.isAssignableFrom(type)
                    && type.getPackageName().equals(API_PACKAGE);
            return limpet ? new Tolerant(deserializer, problems) : deserializer;
          }
        });
    mapper.registerModule(module);
    mapper.addHandler(
        new DeserializationProblemHandler() {
          @Override
          @SuppressWarnings("unchecked")
          public boolean handleUnknownProperty(
              DeserializationContext ctxt,
              JsonParser p,
              JsonDeserializer<?> deserializer,
              Object beanOrClass,
              String propertyName)
              throws IOException {
            var unknown = (List<String>) ctxt.getAttribute(UNKNOWN_FIELDS);
            if (unknown == null) return false;
            unknown.add(field(p.getParsingContext().pathAsPointer().toString()));
            p.skipChildren();
            return true;
          }
        });
    return new KubernetesSerialization(mapper, true);
  }

  /** Reads one Limpet resource from a tree, retrying without the part that cannot be read. */
  private static final class Tolerant extends DelegatingDeserializer {
    private final SpecProblems problems;

    Tolerant(JsonDeserializer<?> delegate, SpecProblems problems) {
      super(delegate);
      this.problems = problems;
    }

    @Override
    protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> delegate) {
      return new Tolerant(delegate, problems);
    }

    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode tree = ctxt.readTree(p);
      List<String> unknown = new ArrayList<>();
      try {
        HasMetadata resource = read(tree, p, ctxt, unknown);
        if (!unknown.isEmpty()) logUnknown(resource, unknown);
        problems.readCleanly(resource);
        return resource;
      } catch (JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        String part = path.isEmpty() ? null : path.get(0).getFieldName();
        if (!(tree instanceof ObjectNode object) || !("spec".equals(part) || "status".equals(part)))
          throw e;
        ObjectNode rest = object.deepCopy();
        rest.remove(part);
        HasMetadata resource = read(rest, p, ctxt, new ArrayList<>());
        String problem = path(path) + ": " + e.getOriginalMessage().lines().findFirst().orElse("");
        if ("spec".equals(part)) problems.record(resource, problem);
        if (firstTime(resource, problem))
          LOG.warn(
              "{} {}/{} (resourceVersion {}): cannot read {}; its {} is left unread",
              resource.getKind(),
              resource.getMetadata().getNamespace(),
              resource.getMetadata().getName(),
              resource.getMetadata().getResourceVersion(),
              problem,
              part);
        return resource;
      }
    }

    private HasMetadata read(
        JsonNode tree, JsonParser p, DeserializationContext ctxt, List<String> unknown)
        throws IOException {
      try (JsonParser parser = tree.traverse(p.getCodec())) {
        parser.nextToken();
        ctxt.setAttribute(UNKNOWN_FIELDS, unknown);
        try {
          return (HasMetadata) _delegatee.deserialize(parser, ctxt);
        } finally {
          ctxt.setAttribute(UNKNOWN_FIELDS, null);
        }
      }
    }
  }

  private static void logUnknown(HasMetadata resource, List<String> unknown) {
    var meta = resource.getMetadata();
    if (!firstTime(resource, "unknown")) return;
    LOG.warn(
        "{} {}/{} (resourceVersion {}): ignoring fields this operator does not know: {}",
        resource.getKind(),
        meta.getNamespace(),
        meta.getName(),
        meta.getResourceVersion(),
        String.join(", ", unknown));
  }

  /**
   * Whether this problem of this resource version is new: one log line each, not one per reader.
   */
  private static boolean firstTime(HasMetadata resource, String problem) {
    var meta = resource.getMetadata();
    if (LOGGED.size() > LOGGED_MAX) LOGGED.clear();
    return LOGGED.add(meta.getUid() + "@" + meta.getResourceVersion() + ":" + problem);
  }

  /** {@code /spec/listeners/0/x} as {@code spec.listeners.0.x}. */
  private static String field(String pointer) {
    return pointer.startsWith("/") ? pointer.substring(1).replace('/', '.') : pointer;
  }

  /** A Jackson reference path as {@code spec.service.type} or {@code spec.hostnames[2]}. */
  private static String path(List<JsonMappingException.Reference> path) {
    StringBuilder out = new StringBuilder();
    for (var ref : path) {
      if (ref.getFieldName() != null) {
        if (out.length() > 0) out.append('.');
        out.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) out.append('[').append(ref.getIndex()).append(']');
    }
    return out.toString();
  }
}
