package dev.limpet.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** How a pool keeps a client on the server it first reached. */
@Group(PersistenceProfile.GROUP)
@Version(PersistenceProfile.VERSION)
@ShortNames("pp")
@Categories("limpet")
@AdditionalPrinterColumn(name = "Type", jsonPath = ".spec.type")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class PersistenceProfile
    extends CustomResource<PersistenceProfileSpec, PersistenceProfileStatus> implements Namespaced {
  public static final String GROUP = "limpet.dev";
  public static final String VERSION = "v1alpha1";
  private static final long serialVersionUID = 1L;
}
