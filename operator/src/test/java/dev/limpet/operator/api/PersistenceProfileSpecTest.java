package dev.limpet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.limpet.contract.PersistenceProfileConfig.Settings;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import dev.limpet.operator.api.CrdRules.Violation;
import dev.limpet.operator.render.ResourceRenderer;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every persistence type reaches the operator: its block is in the spec with the contract's record,
 * in the generated CRD with the defaults the contract applies, under a CEL rule that ties it to its
 * type, and the spec renders it. A type added to the contract alone fails here.
 */
@Timeout(60)
class PersistenceProfileSpecTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode SPEC_SCHEMA =
      CrdRules.crd("persistenceprofiles")
          .at("/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties");

  @Test
  void everyTypeHasItsBlockInTheSpecTypedWithItsRecord() {
    Map<String, Class<?>> components =
        Arrays.stream(PersistenceProfileSpec.class.getRecordComponents())
            .collect(
                java.util.stream.Collectors.toMap(
                    RecordComponent::getName, RecordComponent::getType));
    for (Type type : Type.values())
      assertThat(components).containsEntry(type.block(), type.settingsClass());
  }

  @Test
  void everyTypeRendersItsSettings() {
    for (Type type : Type.values()) {
      Settings settings = type.defaults();
      var resource = new PersistenceProfile();
      resource.setMetadata(new ObjectMetaBuilder().withName("p").build());
      resource.setSpec(PersistenceProfileSpec.of(type, null, settings));
      var rendered = ResourceRenderer.profile(resource);
      assertThat(rendered.type()).isEqualTo(type);
      assertThat(rendered.settings()).isEqualTo(settings);
    }
  }

  @Test
  void theCrdDefaultsAreTheDefaultsTheContractApplies() {
    for (Type type : Type.values()) {
      JsonNode block = SPEC_SCHEMA.path(type.block());
      assertThat(block.path("type").asText()).as(type.block()).isEqualTo("object");
      JsonNode defaults = JSON.valueToTree(type.defaults());
      for (Iterator<String> it = block.path("properties").fieldNames(); it.hasNext(); ) {
        String field = it.next();
        JsonNode schemaDefault = block.path("properties").path(field).path("default");
        if (schemaDefault.isMissingNode()) continue;
        // a field a document leaves out while it has its default (for older data planes)
        String value =
            defaults.has(field) ? defaults.path(field).asText() : component(type.defaults(), field);
        assertThat(value).as(type.block() + "." + field).isEqualTo(schemaDefault.asText());
      }
    }
  }

  private static String component(Object record, String name) {
    for (var c : record.getClass().getRecordComponents()) {
      if (!c.getName().equals(name)) continue;
      try {
        return String.valueOf(c.getAccessor().invoke(record));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    throw new IllegalArgumentException("no component " + name);
  }

  @Test
  void everyBlockIsRefusedUnderAnotherType() throws Exception {
    CrdRules rules = CrdRules.load("persistenceprofiles");
    for (Type type : Type.values()) {
      for (Type other : Type.values()) {
        if (other == type) continue;
        String spec = "{type: " + type + ", " + other.block() + ": {}}";
        assertThat(rules.validate(CrdRulesTest.resource("PersistenceProfile", spec)))
            .extracting(Violation::message)
            .as(spec)
            .anyMatch(m -> m.startsWith(other.block() + " is "));
      }
    }
  }
}
