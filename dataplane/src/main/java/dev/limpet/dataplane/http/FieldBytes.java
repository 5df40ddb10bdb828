package dev.limpet.dataplane.http;

/**
 * Request fields that can be read as the bytes they arrived in, so that a look-up by name (a
 * persistence key, a cookie) builds no {@code String}. Only received fields are in the bytes: a
 * field added since (by a script, say) is read through {@code HttpHeaders}, so a reader checks
 * {@link #added} first and takes the {@code String} path when it is true.
 */
public interface FieldBytes {
  /** The bytes the value spans index; read them, never write into them. */
  byte[] bytes();

  /**
   * The first received field at or after index {@code from} that is still present and whose name is
   * {@code name} (ignoring ASCII case), as {@code HttpHeaders.getAll} orders them; -1 when none.
   */
  int next(CharSequence name, int from);

  /** Where the value of field {@code field} starts in {@link #bytes} (trimmed of OWS). */
  int valueStart(int field);

  /** Where the value of field {@code field} ends in {@link #bytes}, exclusive. */
  int valueEnd(int field);

  /** Whether a field named {@code name} (ignoring ASCII case) was added since the head arrived. */
  boolean added(CharSequence name);
}
