package dev.limpet.dataplane.script;

import static dev.limpet.dataplane.script.Namespace.REQUEST_RESPONSE;

import dev.limpet.contract.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.function.Supplier;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

/**
 * {@code avi.ipgroup} and {@code avi.stringgroup}: matching against the groups declared in the
 * DataScript's {@code ipGroups} and {@code stringGroups}. A group name may be a variable (as Avi
 * allows since 20.1.1); an unknown name is an argument error that lists the script's groups.
 */
final class AviGroupBinder {
  private AviGroupBinder() {}

  static ReadOnlyTable ipGroups(Supplier<ScriptRun> runs) {
    return new ReadOnlyTable(
        new Namespace("avi.ipgroup", runs)
            .add("contains", REQUEST_RESPONSE, AviGroupBinder::ipContains)
            .table());
  }

  static ReadOnlyTable stringGroups(Supplier<ScriptRun> runs) {
    Namespace ns = new Namespace("avi.stringgroup", runs);
    for (boolean caseSensitive : new boolean[] {false, true}) {
      String suffix = caseSensitive ? "_CASE" : "";
      ns.add(
              "equals" + suffix,
              REQUEST_RESPONSE,
              (run, a) -> result(group(run, a), group(run, a).equalTo(a.string(2), caseSensitive)))
          .add(
              "beginswith" + suffix,
              REQUEST_RESPONSE,
              (run, a) -> result(group(run, a), group(run, a).prefixOf(a.string(2), caseSensitive)))
          .add(
              "endswith" + suffix,
              REQUEST_RESPONSE,
              (run, a) -> result(group(run, a), group(run, a).suffixOf(a.string(2), caseSensitive)))
          .add(
              "contains" + suffix,
              REQUEST_RESPONSE,
              (run, a) -> result(group(run, a), contains(group(run, a), a, caseSensitive)));
    }
    return new ReadOnlyTable(ns.table());
  }

  /** {@code contains(group, ip)}: whether an address or block of the group holds {@code ip}. */
  private static Varargs ipContains(ScriptRun run, Args args) {
    String name = args.string(1);
    IpRanges group = run.script.ipGroup(name);
    if (group == null)
      throw args.bad(
          1, "no IP group '" + name + "' in this DataScript " + run.script.groupNames(true));
    String ip = args.string(2);
    try {
      Cidr.parse(ip); // a literal, never a name to resolve
      if (ip.indexOf('/') >= 0) throw new IllegalArgumentException("'" + ip + "' is a subnet");
      return LuaValue.valueOf(group.contains(InetAddress.getByName(ip)));
    } catch (IllegalArgumentException | UnknownHostException e) {
      throw args.bad(2, "IP address expected: " + e.getMessage());
    }
  }

  /** Charges the pass over the subject: linear in its length, whatever the group's size. */
  private static StringGroupIndex.Match contains(
      StringGroupIndex group, Args args, boolean caseSensitive) {
    String subject = args.string(2);
    RunLimiter.active().chargeBytes(subject.length());
    return group.insideOf(subject, caseSensitive);
  }

  private static StringGroupIndex group(ScriptRun run, Args args) {
    String name = args.string(1);
    StringGroupIndex group = run.script.stringGroup(name);
    if (group == null)
      throw args.bad(
          1, "no string group '" + name + "' in this DataScript " + run.script.groupNames(false));
    return group;
  }

  /** Avi's returns: {@code match} for a plain group; {@code value, match} for a key/value one. */
  private static Varargs result(StringGroupIndex group, StringGroupIndex.Match match) {
    if (!group.keyValue()) return LuaValue.valueOf(match.found());
    return LuaValue.varargsOf(
        match.value() == null ? LuaValue.NIL : LuaValue.valueOf(match.value()),
        LuaValue.valueOf(match.found()));
  }
}
