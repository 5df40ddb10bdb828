/** Pure checks of the custom resources: spec validity, listener conflicts, script compilation. */
package dev.limpet.operator.validation;
