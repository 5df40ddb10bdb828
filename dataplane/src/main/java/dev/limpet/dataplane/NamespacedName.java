package dev.limpet.dataplane;

/** A {@code NAMESPACE/NAME} command-line value naming a Kubernetes object. */
record NamespacedName(String namespace, String name) {
  static NamespacedName parse(String namespaceAndName) {
    int slash = namespaceAndName.indexOf('/');
    if (slash <= 0 || slash == namespaceAndName.length() - 1)
      throw new IllegalArgumentException("expected NAMESPACE/NAME, got " + namespaceAndName);
    return new NamespacedName(
        namespaceAndName.substring(0, slash), namespaceAndName.substring(slash + 1));
  }
}
