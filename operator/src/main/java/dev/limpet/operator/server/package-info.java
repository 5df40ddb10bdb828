/** The operator's HTTP endpoints: probes and metrics, and the admission webhook's TLS port. */
package dev.limpet.operator.server;
