package dev.limpet.contract;

import java.util.List;
import java.util.Set;

/**
 * Checks one virtual service: its address and port, the pool and DataScripts it names, its network
 * security blocks, hostnames, TLS, where its client address comes from and its HTTP/2 limits.
 */
final class VirtualServiceValidator {
  private final ConfigProblems problems;
  private final Set<String> pools;
  private final Set<String> scripts;
  private final TlsValidator tls;

  /**
   * @param pools the pools' names
   * @param scripts the DataScripts' names
   */
  VirtualServiceValidator(ConfigProblems problems, Set<String> pools, Set<String> scripts) {
    this.problems = problems;
    this.pools = pools;
    this.scripts = scripts;
    this.tls = new TlsValidator(problems);
  }

  void check(String path, VirtualServiceConfig vs) {
    problems.range(path + ".port", vs.port(), 1, 65_535);
    try {
      Cidr.parse(vs.address());
    } catch (IllegalArgumentException e) {
      problems.add(path + ".address", e.getMessage());
    }
    if (vs.pool() == null) problems.add(path + ".pool", "is required");
    else if (!pools.contains(vs.pool()))
      problems.add(path + ".pool", "no pool named '" + vs.pool() + "'");
    for (int i = 0; i < vs.dataScripts().size(); i++) {
      if (!scripts.contains(vs.dataScripts().get(i)))
        problems.add(
            path + ".dataScripts[" + i + "]",
            "no DataScript named '" + vs.dataScripts().get(i) + "'");
    }
    var ns = vs.networkSecurity();
    problems.cidrs(path + ".networkSecurity.allow", ns.allow());
    problems.cidrs(path + ".networkSecurity.deny", ns.deny());
    problems.hostnames(path + ".hostnames", vs.hostnames());
    if (vs.tls() != null) tls.check(path + ".tls", vs.tls());
    clientAddress(path + ".clientAddress", vs.clientAddress());
    http2(path + ".http2", vs.http2());
  }

  private void http2(String path, Http2Config h) {
    problems.range(
        path + ".maxConcurrentStreams",
        h.maxConcurrentStreams(),
        1,
        Http2Config.MAX_CONCURRENT_STREAMS);
    problems.range(
        path + ".maxHeaderListBytes",
        h.maxHeaderListBytes(),
        Http2Config.MIN_HEADER_LIST_BYTES,
        Http2Config.MAX_HEADER_LIST_BYTES);
  }

  private void clientAddress(String path, ClientAddressConfig c) {
    if (c.proxyProtocol() != null) {
      List<String> sources = c.proxyProtocol().sources();
      if (sources.isEmpty())
        problems.add(
            path + ".proxyProtocol.sources",
            "needs at least one address block (the load balancers that send the header)");
      blocks(path + ".proxyProtocol.sources", sources);
    }
    if (c.forwardedFor() != null) {
      List<String> trusted = c.forwardedFor().trustedProxies();
      if (trusted.isEmpty())
        problems.add(
            path + ".forwardedFor.trustedProxies",
            "needs at least one address block (the proxies whose X-Forwarded-For is believed)");
      blocks(path + ".forwardedFor.trustedProxies", trusted);
    }
  }

  private void blocks(String path, List<String> blocks) {
    if (blocks.size() > ClientAddressConfig.MAX_BLOCKS)
      problems.add(
          path, blocks.size() + " address blocks; at most " + ClientAddressConfig.MAX_BLOCKS);
    problems.cidrs(path, blocks);
  }
}
