package dev.limpet.contract;

import java.util.List;

/**
 * Client address rules of a virtual service. A client is denied when it matches {@code deny}, or
 * when {@code allow} is not empty and it matches none of it.
 */
public record NetworkSecurityConfig(List<String> allow, List<String> deny, DenyAction action) {
  public static final NetworkSecurityConfig OPEN = new NetworkSecurityConfig(null, null, null);

  /** What a denied client gets. */
  public enum DenyAction {
    /** The connection is closed at accept, before a byte is read. */
    Close,
    /** Each request is answered 403 and the connection closed. */
    Forbidden
  }

  public NetworkSecurityConfig {
    allow = Defaults.list(allow);
    deny = Defaults.list(deny);
    action = Defaults.orElse(action, DenyAction.Close);
  }
}
