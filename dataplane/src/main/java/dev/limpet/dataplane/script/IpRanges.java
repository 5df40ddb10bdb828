package dev.limpet.dataplane.script;

import dev.limpet.contract.Cidr;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An IP group as sorted, merged address ranges per family: a lookup is one binary search, so O(log
 * n) however many blocks the group holds. Immutable; built once per configuration.
 */
final class IpRanges {
  private final BigInteger[] v4Starts;
  private final BigInteger[] v4Ends;
  private final BigInteger[] v6Starts;
  private final BigInteger[] v6Ends;

  private IpRanges(List<BigInteger[]> v4, List<BigInteger[]> v6) {
    v4Starts = v4.stream().map(r -> r[0]).toArray(BigInteger[]::new);
    v4Ends = v4.stream().map(r -> r[1]).toArray(BigInteger[]::new);
    v6Starts = v6.stream().map(r -> r[0]).toArray(BigInteger[]::new);
    v6Ends = v6.stream().map(r -> r[1]).toArray(BigInteger[]::new);
  }

  /** The ranges of {@code blocks} (each valid for {@link Cidr#parse}). */
  static IpRanges of(List<String> blocks) {
    List<BigInteger[]> v4 = new ArrayList<>();
    List<BigInteger[]> v6 = new ArrayList<>();
    for (String block : blocks) {
      Cidr.parse(block); // refuses anything but a literal, so the lookup below resolves nothing
      int slash = block.indexOf('/');
      byte[] address = literal(slash < 0 ? block : block.substring(0, slash));
      int bits = address.length * 8;
      int prefix = slash < 0 ? bits : Integer.parseInt(block.substring(slash + 1));
      BigInteger start = new BigInteger(1, Cidr.mask(address, prefix));
      BigInteger end = start.add(BigInteger.ONE.shiftLeft(bits - prefix)).subtract(BigInteger.ONE);
      (bits == 32 ? v4 : v6).add(new BigInteger[] {start, end});
    }
    return new IpRanges(merged(v4), merged(v6));
  }

  private static List<BigInteger[]> merged(List<BigInteger[]> ranges) {
    ranges.sort(Comparator.comparing((BigInteger[] r) -> r[0]));
    List<BigInteger[]> out = new ArrayList<>();
    for (BigInteger[] r : ranges) {
      BigInteger[] last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && r[0].compareTo(last[1].add(BigInteger.ONE)) <= 0)
        last[1] = last[1].max(r[1]);
      else out.add(new BigInteger[] {r[0], r[1]});
    }
    return out;
  }

  boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    BigInteger value = new BigInteger(1, bytes);
    BigInteger[] starts = bytes.length == 4 ? v4Starts : v6Starts;
    BigInteger[] ends = bytes.length == 4 ? v4Ends : v6Ends;
    // the last range starting at or before the address
    int low = 0;
    int high = starts.length - 1;
    int found = -1;
    while (low <= high) {
      int mid = (low + high) >>> 1;
      if (starts[mid].compareTo(value) <= 0) {
        found = mid;
        low = mid + 1;
      } else high = mid - 1;
    }
    return found >= 0 && ends[found].compareTo(value) >= 0;
  }

  private static byte[] literal(String address) {
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }
}
