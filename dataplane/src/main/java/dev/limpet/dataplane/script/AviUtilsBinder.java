package dev.limpet.dataplane.script;

import static dev.limpet.dataplane.script.Namespace.ALL;

import dev.limpet.contract.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.function.Supplier;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code avi.utils}: base64, hashes, random bytes and address arithmetic. Pure functions of their
 * arguments (but {@code rand_bytes}), so every event may call them. Strings are Lua byte strings:
 * binary input and output pass unchanged.
 */
final class AviUtilsBinder {
  /** Bounds one {@code rand_bytes} call; a script wanting more calls it again. */
  static final int MAX_RANDOM_BYTES = 1024;

  private static final SecureRandom RANDOM = new SecureRandom();

  private AviUtilsBinder() {}

  static ReadOnlyTable bind(Supplier<ScriptRun> runs) {
    LuaTable utils =
        new Namespace("avi.utils", runs)
            .add("base64_encode", ALL, AviUtilsBinder::base64Encode)
            .add("base64_decode", ALL, AviUtilsBinder::base64Decode)
            .add("md5_hash", ALL, (run, args) -> hash("MD5", args))
            .add("sha1_hash", ALL, (run, args) -> hash("SHA-1", args))
            .add("murmur_hash", ALL, AviUtilsBinder::murmurHash)
            .add("rand_bytes", ALL, AviUtilsBinder::randomBytes)
            .add("ip_in_subnet", ALL, AviUtilsBinder::ipInSubnet)
            .table();
    utils.rawset(
        "ip",
        new ReadOnlyTable(
            new Namespace("avi.utils.ip", runs)
                .add("netaddr", ALL, AviUtilsBinder::netaddr)
                .table()));
    return new ReadOnlyTable(utils);
  }

  private static LuaValue binary(byte[] bytes) {
    return LuaString.valueUsing(bytes);
  }

  private static Varargs base64Encode(ScriptRun run, Args args) {
    byte[] input = args.bytes(1);
    BoundedStrings.building("avi.utils.base64_encode", 4L * ((input.length + 2) / 3));
    return binary(Base64.getEncoder().encode(input));
  }

  /** The decoded bytes, or nil when the input is not base64 (padding optional). */
  private static Varargs base64Decode(ScriptRun run, Args args) {
    try {
      return binary(Base64.getDecoder().decode(args.bytes(1)));
    } catch (IllegalArgumentException e) {
      return LuaValue.NIL;
    }
  }

  /** The digest in lower-case hexadecimal. */
  private static Varargs hash(String algorithm, Args args) {
    try {
      byte[] input = args.bytes(1);
      RunLimiter.active().chargeBytes(input.length);
      byte[] digest = MessageDigest.getInstance(algorithm).digest(input);
      return LuaValue.valueOf(HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has " + algorithm, e);
    }
  }

  /** {@code murmur_hash(string)}: MurmurHash3 x86 32-bit, seed 0, as a non-negative integer. */
  private static Varargs murmurHash(ScriptRun run, Args args) {
    byte[] input = args.bytes(1);
    RunLimiter.active().chargeBytes(input.length);
    return LuaValue.valueOf((double) MurmurHash3.hash32(input, 0));
  }

  private static Varargs randomBytes(ScriptRun run, Args args) {
    byte[] out = new byte[args.wholeInRange(1, 1, MAX_RANDOM_BYTES)];
    RANDOM.nextBytes(out);
    return binary(out);
  }

  /**
   * {@code ip_in_subnet(ip, subnet)}: whether {@code ip} is in {@code subnet} ({@code
   * "10.0.0.0/8"}, a bare address, or an array of them: true when any holds it).
   */
  private static Varargs ipInSubnet(ScriptRun run, Args args) {
    InetAddress ip = address(args, 1);
    LuaValue subnets = args.get(2);
    if (subnets.istable()) {
      for (int i = 1; i <= subnets.length(); i++)
        if (cidr(args, 2, subnets.get(i).tojstring()).contains(ip)) return LuaValue.TRUE;
      return LuaValue.FALSE;
    }
    return LuaValue.valueOf(cidr(args, 2, args.string(2)).contains(ip));
  }

  /**
   * {@code ip.netaddr(ip, mask)}: the network address of {@code ip} under {@code mask}, a prefix
   * length ({@code 24}, {@code "24"}) or a dotted IPv4 mask ({@code "255.255.255.0"}).
   */
  private static Varargs netaddr(ScriptRun run, Args args) {
    InetAddress ip = address(args, 1);
    int bits = ip.getAddress().length * 8;
    int prefix;
    if (args.isNumeric(2)) prefix = args.wholeInRange(2, 0, bits);
    else prefix = prefixOfMask(args, bits);
    try {
      return LuaValue.valueOf(
          InetAddress.getByAddress(Cidr.mask(ip.getAddress(), prefix)).getHostAddress());
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int prefixOfMask(Args args, int bits) {
    byte[] mask = address(args, 2).getAddress();
    if (mask.length * 8 != bits) throw args.bad(2, "mask and address are of different families");
    int prefix = 0;
    while (prefix < bits && (mask[prefix / 8] & (0x80 >>> (prefix % 8))) != 0) prefix++;
    if (!java.util.Arrays.equals(Cidr.mask(mask, prefix), mask))
      throw args.bad(2, "'" + args.string(2) + "' is not a contiguous mask");
    return prefix;
  }

  private static InetAddress address(Args args, int i) {
    String text = args.string(i);
    try {
      Cidr.parse(text); // a literal: refuses names, which would be resolved
      if (text.indexOf('/') >= 0) throw new IllegalArgumentException("'" + text + "' is a subnet");
      return InetAddress.getByName(text);
    } catch (IllegalArgumentException | UnknownHostException e) {
      throw args.bad(i, "IP address expected: " + e.getMessage());
    }
  }

  private static Cidr cidr(Args args, int i, String text) {
    try {
      return Cidr.parse(text);
    } catch (IllegalArgumentException e) {
      throw args.bad(i, e.getMessage());
    }
  }
}
