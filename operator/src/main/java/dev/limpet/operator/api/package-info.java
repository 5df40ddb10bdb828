/**
 * The custom resources of group {@code limpet.dev}, version {@code v1alpha1}: the Java model is the
 * source of the CRD YAML checked in under {@code crds/}.
 */
package dev.limpet.operator.api;
