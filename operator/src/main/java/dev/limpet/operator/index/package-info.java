/** Indexer names and key functions, and the namespace view reconcilers read through them. */
package dev.limpet.operator.index;
