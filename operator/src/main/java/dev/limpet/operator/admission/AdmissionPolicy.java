package dev.limpet.operator.admission;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.index.ReferenceUsers;
import dev.limpet.operator.reconciler.SystemProfiles;
import dev.limpet.operator.render.ResourceRenderer;
import dev.limpet.operator.validation.ScriptCompiler;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;

/**
 * What the validating webhook answers: a deletion of a PersistenceProfile, Pool or DataScript that
 * a VirtualService uses is refused naming the VirtualServices, so is the deletion of a default
 * system profile; a DataScript that does not compile is refused quoting the compiler. Everything
 * else is allowed: the reconcilers report the rest in status.
 */
public final class AdmissionPolicy {
  private final ReferenceUsers.Lookup users;
  private final ScriptCompiler compiler;
  private final KubernetesSerialization serialization;

  public AdmissionPolicy(
      ReferenceUsers.Lookup users, ScriptCompiler compiler, KubernetesSerialization serialization) {
    this.users = users;
    this.compiler = compiler;
    this.serialization = serialization;
  }

  public AdmissionResponse review(AdmissionRequest request) {
    String kind = request.getKind() == null ? "" : request.getKind().getKind();
    Optional<String> refusal =
        switch (request.getOperation()) {
          case "DELETE" ->
              ReferenceUsers.guarded(kind) ? deletion(request, kind) : Optional.empty();
          case "CREATE", "UPDATE" ->
              kind.equals("DataScript") ? compiles(request.getObject()) : Optional.empty();
          default -> Optional.empty();
        };
    var response = new AdmissionResponseBuilder().withUid(request.getUid());
    return refusal
        .map(
            message ->
                response
                    .withAllowed(false)
                    .withStatus(new StatusBuilder().withCode(403).withMessage(message).build())
                    .build())
        .orElseGet(() -> response.withAllowed(true).build());
  }

  private Optional<String> deletion(AdmissionRequest request, String kind) {
    // the old object carries the labels; name and namespace are always on the request
    Map<String, String> labels =
        Optional.ofNullable(request.getOldObject())
            .map(o -> serialization.convertValue(o, GenericKubernetesResource.class))
            .map(o -> o.getMetadata().getLabels())
            .orElse(Map.of());
    if (kind.equals("PersistenceProfile") && SystemProfiles.isSystem(labels))
      return Optional.of(
          "PersistenceProfile '"
              + request.getName()
              + "' is a default system profile (label "
              + SystemProfiles.LABEL
              + "): it can be edited but not deleted");
    SortedSet<String> using =
        ReferenceUsers.of(users, kind, request.getNamespace(), request.getName());
    return using.isEmpty()
        ? Optional.empty()
        : Optional.of(ReferenceUsers.inUseMessage(kind, request.getName(), using));
  }

  private Optional<String> compiles(Object object) {
    if (object == null) return Optional.empty();
    DataScript script = serialization.convertValue(object, DataScript.class);
    if (script.getSpec() == null || script.getSpec().events() == null) return Optional.empty();
    return compiler
        .firstError(ResourceRenderer.script(script))
        .map(
            error ->
                "DataScript '" + script.getMetadata().getName() + "' does not compile: " + error);
  }
}
