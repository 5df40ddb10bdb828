/**
 * Pure functions from the custom resources (and the servers resolved from EndpointSlices) to the
 * data-plane configuration contract.
 */
package dev.limpet.operator.render;
