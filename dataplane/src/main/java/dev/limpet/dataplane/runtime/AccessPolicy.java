package dev.limpet.dataplane.runtime;

import dev.limpet.contract.Cidr;
import dev.limpet.contract.NetworkSecurityConfig;
import dev.limpet.contract.NetworkSecurityConfig.DenyAction;
import java.net.InetAddress;
import java.util.List;

/** A virtual service's allow and deny lists, parsed once per configuration. */
public record AccessPolicy(List<Cidr> allow, List<Cidr> deny, DenyAction action) {

  public static AccessPolicy of(NetworkSecurityConfig config) {
    return new AccessPolicy(
        config.allow().stream().map(Cidr::parse).toList(),
        config.deny().stream().map(Cidr::parse).toList(),
        config.action());
  }

  /** Denied when a deny block matches, or when allow blocks exist and none matches. */
  public boolean denies(InetAddress client) {
    for (Cidr c : deny) if (c.contains(client)) return true;
    if (allow.isEmpty()) return false;
    for (Cidr c : allow) if (c.contains(client)) return false;
    return true;
  }
}
