package dev.limpet.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A set of servers, from a Service's endpoints and/or listed, with balancing and persistence. */
@Group(PersistenceProfile.GROUP)
@Version(PersistenceProfile.VERSION)
@ShortNames("pool")
@Categories("limpet")
@AdditionalPrinterColumn(name = "Servers", jsonPath = ".status.servers")
@AdditionalPrinterColumn(name = "Profile", jsonPath = ".spec.persistenceProfile")
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class Pool extends CustomResource<PoolSpec, PoolStatus> implements Namespaced {
  private static final long serialVersionUID = 1L;
}
