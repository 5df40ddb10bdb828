package dev.limpet.contract;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An address block such as {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is /32 or
 * /128.
 */
public final class Cidr {
  private final byte[] network;
  private final int prefixLength;

  private Cidr(byte[] network, int prefixLength) {
    this.network = network;
    this.prefixLength = prefixLength;
  }

  /** Parses a block; the address must be a literal, never a name to resolve. */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    byte[] bytes = literal(address);
    int max = bytes.length * 8;
    int prefix = max;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad prefix length in '" + text + "'");
      }
      if (prefix < 0 || prefix > max)
        throw new IllegalArgumentException("prefix length of '" + text + "' must be 0.." + max);
    }
    return new Cidr(mask(bytes, prefix), prefix);
  }

  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    return bytes.length == network.length
        && java.util.Arrays.equals(mask(bytes, prefixLength), network);
  }

  /** The address with every bit past {@code prefixLength} cleared. */
  public static byte[] mask(byte[] address, int prefixLength) {
    byte[] out = address.clone();
    for (int bit = prefixLength; bit < out.length * 8; bit++) {
      out[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
    }
    return out;
  }

  static byte[] literal(String address) {
    if (address.isEmpty()
        || !(Character.digit(address.charAt(0), 16) >= 0 || address.charAt(0) == ':'))
      throw new IllegalArgumentException("'" + address + "' is not an IP address");
    if (address.indexOf(':') < 0 && !address.matches("\\d{1,3}(\\.\\d{1,3}){3}"))
      throw new IllegalArgumentException("'" + address + "' is not an IP address");
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("'" + address + "' is not an IP address");
    }
  }

  @Override
  public String toString() {
    try {
      return InetAddress.getByAddress(network).getHostAddress() + "/" + prefixLength;
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }
}
