package dev.limpet.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** Lua run by the data plane on a virtual service's HTTP events. */
@Group(PersistenceProfile.GROUP)
@Version(PersistenceProfile.VERSION)
@ShortNames("dscript")
@Categories("limpet")
@AdditionalPrinterColumn(
    name = "Compiled",
    jsonPath = ".status.conditions[?(@.type==\"Compiled\")].status")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class DataScript extends CustomResource<DataScriptSpec, DataScriptStatus>
    implements Namespaced {
  private static final long serialVersionUID = 1L;
}
