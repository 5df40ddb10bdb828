/**
 * The validating admission webhook's decisions: referential integrity and DataScript compilation.
 */
package dev.limpet.operator.admission;
