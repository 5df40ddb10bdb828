package dev.limpet.operator.admission;

import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.decode.TolerantClient;
import dev.limpet.operator.index.ReferenceUsers;
import dev.limpet.operator.reconciler.SystemProfiles;
import dev.limpet.operator.render.ResourceRenderer;
import dev.limpet.operator.validation.ScriptCompiler;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponseBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;

/**
 * What the validating webhook answers: a deletion of a PersistenceProfile, Pool or DataScript that
 * a VirtualService uses is refused naming the VirtualServices, so is the deletion of a default
 * system profile; a DataScript that does not compile is refused quoting the compiler. Everything
 * else is allowed: the reconcilers report the rest in status.
 *
 * <p>A created or updated object whose spec the operator cannot read (a value of the wrong type, an
 * unknown enum value: CRD and operator of different versions) is refused naming the field, as the
 * API server's schema check would have refused it; unknown fields pass (an API server prunes them).
 * A deletion never depends on reading the spec: only names and labels are read from it.
 *
 * <p>Deletions by the namespace controller are always allowed: they are a namespace being deleted,
 * which takes every object with it (the VirtualServices that use a Pool included), and refusing one
 * would leave the namespace {@code Terminating} for ever. They are told apart by the user the API
 * server names in the review, not by a lookup of the namespace: no API call, no extra RBAC, and
 * nobody else can act as that user.
 */
public final class AdmissionPolicy {
  /**
   * The users the namespace controller deletes a namespace's content as: its own service account
   * when kube-controller-manager runs with {@code --use-service-account-credentials} (kubeadm and
   * most distributions), else kube-controller-manager's own identity.
   */
  static final Set<String> NAMESPACE_CONTROLLER_USERS =
      Set.of(
          "system:serviceaccount:kube-system:namespace-controller",
          "system:kube-controller-manager");

  /** The kinds whose objects are read, by the name a review gives. */
  private static final Map<String, Class<? extends HasMetadata>> KINDS =
      Map.of(
          "VirtualService", VirtualService.class,
          "Pool", Pool.class,
          "DataScript", DataScript.class,
          "PersistenceProfile", PersistenceProfile.class);

  private final ReferenceUsers.Lookup users;
  private final ScriptCompiler compiler;
  private final TolerantClient reader;
  private final KubernetesSerialization serialization;

  /**
   * @param reader the operator's own reading of Limpet resources, which a review's object must pass
   */
  public AdmissionPolicy(
      ReferenceUsers.Lookup users, ScriptCompiler compiler, TolerantClient reader) {
    this.users = users;
    this.compiler = compiler;
    this.reader = reader;
    this.serialization = reader.serialization();
  }

  public AdmissionResponse review(AdmissionRequest request) {
    String kind = request.getKind() == null ? "" : request.getKind().getKind();
    Optional<String> refusal =
        switch (request.getOperation()) {
          case "DELETE" ->
              ReferenceUsers.guarded(kind) ? deletion(request, kind) : Optional.empty();
          case "CREATE", "UPDATE" ->
              unreadable(request.getObject(), kind)
                  .or(
                      () ->
                          kind.equals("DataScript")
                              ? compiles(request.getObject())
                              : Optional.empty());
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
    if (request.getUserInfo() != null
        && NAMESPACE_CONTROLLER_USERS.contains(request.getUserInfo().getUsername()))
      return Optional.empty();
    // on DELETE the object is oldObject; the request's own name is empty when a collection is
    // deleted (the namespace controller's deletecollection), so the name comes from the object
    ObjectMeta deleted =
        Optional.ofNullable(request.getOldObject())
            .map(o -> serialization.convertValue(o, GenericKubernetesResource.class))
            .map(GenericKubernetesResource::getMetadata)
            .orElseGet(ObjectMeta::new);
    String name = firstNonEmpty(deleted.getName(), request.getName());
    String namespace = firstNonEmpty(deleted.getNamespace(), request.getNamespace());
    if (name == null) return Optional.empty(); // nothing names the object: nothing to check
    if (kind.equals("PersistenceProfile") && SystemProfiles.isSystem(deleted.getLabels()))
      return Optional.of(
          "PersistenceProfile '"
              + name
              + "' is a default system profile (label "
              + SystemProfiles.LABEL
              + "): it can be edited but not deleted");
    SortedSet<String> using = ReferenceUsers.of(users, kind, namespace, name);
    return using.isEmpty()
        ? Optional.empty()
        : Optional.of(ReferenceUsers.inUseMessage(kind, name, using));
  }

  private static String firstNonEmpty(String first, String second) {
    if (first != null && !first.isEmpty()) return first;
    return second == null || second.isEmpty() ? null : second;
  }

  private Optional<String> unreadable(Object object, String kind) {
    Class<? extends HasMetadata> type = KINDS.get(kind);
    if (object == null || type == null) return Optional.empty();
    return reader
        .specProblem(object, type)
        .map(
            problem ->
                kind
                    + " '"
                    + serialization
                        .convertValue(object, GenericKubernetesResource.class)
                        .getMetadata()
                        .getName()
                    + "' does not match the schema this operator reads: "
                    + problem);
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
