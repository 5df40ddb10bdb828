package dev.limpet.contract;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks the virtual services that share a port. They must be told apart by Host: at most one
 * without hostnames, none shared. They all terminate TLS or none does, with the same protocols and
 * ciphers (the handshake comes before the Host header), and all read a PROXY header from the same
 * sources or none does (it comes before everything).
 */
final class ListenerValidator {
  private final ConfigProblems problems;

  ListenerValidator(ConfigProblems problems) {
    this.problems = problems;
  }

  void check(List<VirtualServiceConfig> services) {
    Map<Integer, Map<String, String>> hostsByPort = new HashMap<>();
    Map<Integer, String> addressByPort = new HashMap<>();
    Map<Integer, VirtualServiceConfig> firstByPort = new HashMap<>();
    for (int i = 0; i < services.size(); i++) {
      VirtualServiceConfig vs = services.get(i);
      String path = "virtualServices[" + i + "]";
      VirtualServiceConfig first = firstByPort.putIfAbsent(vs.port(), vs);
      if (first != null) {
        sharedTls(path, vs, first);
        sharedProxyProtocol(path, vs, first);
      }
      String address = addressByPort.putIfAbsent(vs.port(), vs.address());
      if (address != null && !address.equals(vs.address()))
        problems.add(
            path + ".address",
            "port "
                + vs.port()
                + " is already bound on "
                + address
                + " by another virtual service");
      Map<String, String> hosts = hostsByPort.computeIfAbsent(vs.port(), p -> new HashMap<>());
      List<String> own = vs.hostnames().isEmpty() ? List.of("") : vs.hostnames();
      for (String h : own) {
        String other = hosts.putIfAbsent(h, vs.name());
        if (other != null)
          problems.add(
              path + ".hostnames",
              (h.isEmpty() ? "no hostnames (catch-all)" : "hostname '" + h + "'")
                  + " on port "
                  + vs.port()
                  + " is already taken by virtual service '"
                  + other
                  + "'");
      }
    }
  }

  private void sharedProxyProtocol(
      String path, VirtualServiceConfig vs, VirtualServiceConfig first) {
    var own = vs.clientAddress().proxyProtocol();
    var other = first.clientAddress().proxyProtocol();
    if (java.util.Objects.equals(own, other)) return;
    problems.add(
        path + ".clientAddress.proxyProtocol",
        "must equal that of virtual service '"
            + first.name()
            + "' on port "
            + vs.port()
            + " ("
            + (other == null ? "which reads no PROXY header" : "sources " + other.sources())
            + "): the header comes before the Host that tells them apart");
  }

  private void sharedTls(String path, VirtualServiceConfig vs, VirtualServiceConfig first) {
    String other = "virtual service '" + first.name() + "' on port " + vs.port();
    if ((vs.tls() == null) != (first.tls() == null))
      problems.add(
          path + ".tls",
          (vs.tls() == null ? "is missing: " : "is not allowed: ")
              + other
              + (first.tls() == null ? " is plain HTTP" : " terminates TLS"));
    else if (vs.tls() != null && !vs.tls().protocols().equals(first.tls().protocols()))
      problems.add(path + ".tls.protocols", "must equal those of " + other);
    else if (vs.tls() != null && !vs.tls().ciphers().equals(first.tls().ciphers()))
      problems.add(path + ".tls.ciphers", "must equal those of " + other);
  }
}
