package dev.limpet.dataplane.runtime;

import dev.limpet.contract.Cidr;
import java.net.InetAddress;
import java.util.List;

/** A list of address blocks parsed once per configuration: PROXY sources, trusted proxies. */
public record AddressBlocks(List<Cidr> blocks) {
  public AddressBlocks {
    blocks = List.copyOf(blocks);
  }

  /** The blocks of validated CIDR texts. */
  public static AddressBlocks of(List<String> texts) {
    return new AddressBlocks(texts.stream().map(Cidr::parse).toList());
  }

  public boolean contains(InetAddress address) {
    for (Cidr c : blocks) if (c.contains(address)) return true;
    return false;
  }

  @Override
  public String toString() {
    return blocks.toString();
  }
}
