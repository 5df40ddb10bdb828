/**
 * Reading Limpet resources that the operator's model does not fit (CRD and operator versions
 * apart): unknown fields are skipped, an unreadable spec is recorded against its resource instead
 * of failing the informer that lists it.
 */
package dev.limpet.operator.decode;
