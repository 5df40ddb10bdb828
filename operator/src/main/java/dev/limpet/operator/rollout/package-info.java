/**
 * Whether the data-plane replicas of a group have applied its configuration: the pods, their admin
 * endpoint, and the versions they report.
 */
package dev.limpet.operator.rollout;
