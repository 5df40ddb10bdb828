package dev.limpet.operator.validation;

import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.api.VirtualServiceSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Decides which virtual services of one data-plane group may share their ports. Two conflict when
 * they use the same port and either listen on different addresses, read the PROXY protocol header
 * differently (it comes before the Host that tells them apart), or share a hostname (no hostnames
 * counts as the catch-all). Oldest first, each is kept unless it conflicts with one kept before it,
 * so the newer of a conflicting pair loses and the outcome never depends on the order the operator
 * saw them in.
 */
public final class ListenerConflicts {
  private static final String CATCH_ALL = "";

  private ListenerConflicts() {}

  /** The losers by name, each with the name of the virtual service it lost to. */
  public static Map<String, String> losers(List<VirtualService> candidates) {
    List<VirtualService> byAge = new ArrayList<>(candidates);
    byAge.sort(
        Comparator.comparing(
                (VirtualService vs) ->
                    Objects.requireNonNullElse(vs.getMetadata().getCreationTimestamp(), ""))
            .thenComparing(vs -> vs.getMetadata().getName()));
    // only services on the same port can conflict: each is compared with those kept on its port
    Map<Integer, List<VirtualService>> keptByPort = new HashMap<>();
    Map<String, String> losers = new LinkedHashMap<>();
    for (VirtualService vs : byAge) {
      List<VirtualService> kept =
          keptByPort.computeIfAbsent(vs.getSpec().port(), p -> new ArrayList<>());
      VirtualService winner = kept.stream().filter(k -> conflict(k, vs)).findFirst().orElse(null);
      if (winner == null) kept.add(vs);
      else losers.put(vs.getMetadata().getName(), winner.getMetadata().getName());
    }
    return losers;
  }

  /** Why {@code loser} lost to {@code winner}, for its Accepted condition. */
  public static String message(VirtualService loser, VirtualService winner) {
    var l = loser.getSpec();
    var w = winner.getSpec();
    if (!address(l.address()).equals(address(w.address())))
      return "port "
          + l.port()
          + " is already bound on "
          + address(w.address())
          + " by VirtualService '"
          + winner.getMetadata().getName()
          + "'; use another port or the same address";
    if (!Objects.equals(proxyProtocol(l), proxyProtocol(w)))
      return "port "
          + l.port()
          + " is shared with the older VirtualService '"
          + winner.getMetadata().getName()
          + "', which "
          + (proxyProtocol(w) == null
              ? "reads no PROXY protocol header"
              : "reads the PROXY protocol header from " + proxyProtocol(w).sources())
          + "; set the same clientAddress.proxyProtocol or use another port";
    Set<String> shared = hosts(loser);
    shared.retainAll(hosts(winner));
    String what =
        shared.contains(CATCH_ALL)
            ? "both have no hostnames (each would take every host)"
            : "both claim hostname(s) " + String.join(", ", new java.util.TreeSet<>(shared));
    return "port "
        + l.port()
        + " is shared with the older VirtualService '"
        + winner.getMetadata().getName()
        + "' and "
        + what
        + "; give them disjoint hostnames or another port";
  }

  private static boolean conflict(VirtualService a, VirtualService b) {
    if (!Objects.equals(a.getSpec().port(), b.getSpec().port())) return false;
    if (!address(a.getSpec().address()).equals(address(b.getSpec().address()))) return true;
    if (!Objects.equals(proxyProtocol(a.getSpec()), proxyProtocol(b.getSpec()))) return true;
    Set<String> shared = hosts(a);
    shared.retainAll(hosts(b));
    return !shared.isEmpty();
  }

  private static VirtualServiceSpec.ProxyProtocol proxyProtocol(VirtualServiceSpec s) {
    return s.clientAddress() == null ? null : s.clientAddress().proxyProtocol();
  }

  private static Set<String> hosts(VirtualService vs) {
    List<String> hostnames = vs.getSpec().hostnames();
    Set<String> hosts = new HashSet<>();
    if (hostnames == null || hostnames.isEmpty()) hosts.add(CATCH_ALL);
    else hostnames.forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
    return hosts;
  }

  private static String address(String address) {
    return address == null ? "0.0.0.0" : address;
  }
}
