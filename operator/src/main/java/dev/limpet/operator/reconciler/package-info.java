/** One reconciler per custom resource, and the writer of each data-plane group's ConfigMap. */
package dev.limpet.operator.reconciler;
