package dev.limpet.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A listener of a data-plane group: port, hostnames, default pool, scripts and guards. */
@Group(PersistenceProfile.GROUP)
@Version(PersistenceProfile.VERSION)
@ShortNames("vs")
@Categories("limpet")
@AdditionalPrinterColumn(
    name = "Port",
    jsonPath = ".spec.port",
    type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Pool", jsonPath = ".spec.pool")
@AdditionalPrinterColumn(name = "Address", jsonPath = ".status.address")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class VirtualService extends CustomResource<VirtualServiceSpec, VirtualServiceStatus>
    implements Namespaced {
  private static final long serialVersionUID = 1L;
}
