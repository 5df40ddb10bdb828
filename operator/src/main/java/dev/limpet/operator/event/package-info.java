/** Kubernetes Events: the one recorder the reconcilers report condition transitions through. */
package dev.limpet.operator.event;
