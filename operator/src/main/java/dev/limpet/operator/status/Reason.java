package dev.limpet.operator.status;

/** The CamelCase reasons of the operator's conditions. */
public final class Reason {
  private Reason() {}

  public static final String ACCEPTED = "Accepted";
  public static final String INVALID = "Invalid";
  public static final String INVALID_SPEC = "InvalidSpec";
  public static final String PORT_CONFLICT = "PortConflict";
  public static final String RESOLVED_REFS = "ResolvedRefs";
  public static final String REF_NOT_FOUND = "RefNotFound";
  public static final String REF_NOT_READY = "RefNotReady";
  public static final String COMPILED = "Compiled";
  public static final String SYNTAX_ERROR = "SyntaxError";
  public static final String PROGRAMMED = "Programmed";
  public static final String PENDING = "Pending";
  public static final String RENDER_FAILED = "RenderFailed";
  public static final String READY = "Ready";
  public static final String IN_USE = "InUse";
  public static final String NO_READY_REPLICAS = "NoReadyReplicas";
  public static final String SERVERS_UP = "ServersUp";
  public static final String NO_READY_ENDPOINTS = "NoReadyEndpoints";
  public static final String APPLYING = "Applying";
}
