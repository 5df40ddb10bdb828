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
    // indexed: an iterator per request is an object each (the lists are immutable, random access)
    for (int i = 0; i < deny.size(); i++) if (deny.get(i).contains(client)) return true;
    if (allow.isEmpty()) return false;
    for (int i = 0; i < allow.size(); i++) if (allow.get(i).contains(client)) return false;
    return true;
  }
}
