package dev.limpet.operator.status;

/** The condition types the operator sets; {@link #Ready} summarises the others. */
public enum ConditionType {
  /** The spec is valid on its own. */
  Accepted,
  /** Every object the spec names exists and is usable; the message names the ones that are not. */
  ResolvedRefs,
  /** DataScript only: every event's Lua compiles. */
  Compiled,
  /**
   * VirtualService only: every ready data-plane replica of its group serves it. True (reason
   * Programmed) once each has applied the published configuration; it stays True with reason
   * Applying while the replicas move to a newer configuration (an endpoint change, a new spec),
   * since each still serves the one it applied, so Ready means serving. False (Applying) only for a
   * VirtualService no configuration applied so far holds, or while a replica does not answer.
   */
  Programmed,
  /**
   * Pool only: at least one server can take new clients (a ready endpoint or an enabled static
   * server); False (reason NoReadyEndpoints) when every request to the pool would get 503.
   */
  ServersAvailable,
  /**
   * Only while a deletion waits: False (reason InUse) while VirtualServices use the object; the
   * finalizer holds the deletion until they no longer do.
   */
  Deletable,
  /** Every other condition is True. */
  Ready
}
