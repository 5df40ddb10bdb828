/** Status conditions: the one place that edits them, and their types and reasons. */
package dev.limpet.operator.status;
