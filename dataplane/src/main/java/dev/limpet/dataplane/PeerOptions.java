package dev.limpet.dataplane;

import dev.limpet.dataplane.peers.DnsPeers;
import dev.limpet.dataplane.peers.PeerDiscovery;
import dev.limpet.dataplane.peers.PeerSettings;
import dev.limpet.dataplane.peers.StaticPeers;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options of table replication, and the replication settings they make. */
final class PeerOptions {
  /** How peers are found: through DNS or from a list. */
  static final class Discovery {
    @Option(
        names = "--peers-dns",
        required = true,
        description =
            "Replicate persistence tables with the replicas behind this DNS name, as name:port:"
                + " the data plane's headless Service (with publishNotReadyAddresses), re-resolved"
                + " every 5 s.")
    String dns;

    @Option(
        names = "--peers",
        required = true,
        split = ",",
        description =
            "Replicate persistence tables with these replicas, host:port,... (outside a cluster).")
    List<String> list;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Discovery discovery;

  @Option(
      names = "--peer-secret-file",
      description =
          "The secret every replica shares (a file from a Kubernetes Secret, 16 bytes or more);"
              + " required with --peers or --peers-dns.")
  Path peerSecretFile;

  @Option(
      names = "--peer-listen",
      defaultValue = "0.0.0.0:9902",
      description = "Where peers connect to this replica. Default: ${DEFAULT-VALUE}.")
  String peerListen;

  @Option(
      names = "--replica-id",
      description = "This replica's name. Default: $HOSTNAME (the pod name in Kubernetes).")
  String replicaId;

  @Option(
      names = "--peer-sync-timeout-seconds",
      defaultValue = "30",
      description =
          "A starting replica reports ready after its first full table resync from a peer, or"
              + " after this many seconds (default ${DEFAULT-VALUE}).")
  long peerSyncTimeoutSeconds;

  void check(OptionCheck check) {
    check.value("--peer-listen", peerListen, HostPort::parse);
    if (discovery == null) return;
    // a dependent option: picocli's co-occurring groups word this as a puzzle
    check.require(
        peerSecretFile != null, "--peer-secret-file is required with --peers or --peers-dns");
    check.value("--peers-dns", discovery.dns, HostPort::parse);
    if (discovery.list != null)
      for (String peer : discovery.list) check.value("--peers", peer, HostPort::parse);
  }

  /** The replication settings, or null when no peers are configured. */
  PeerSettings settings() throws IOException {
    if (discovery == null) return null;
    PeerDiscovery peers;
    if (discovery.dns != null) {
      HostPort dns = HostPort.parse(discovery.dns);
      peers = new DnsPeers(dns.host(), dns.port());
    } else {
      peers =
          new StaticPeers(discovery.list.stream().map(p -> HostPort.parse(p).address()).toList());
    }
    String id = replicaId != null ? replicaId : System.getenv().getOrDefault("HOSTNAME", "");
    if (id.isBlank()) id = InetAddress.getLocalHost().getHostName();
    return PeerSettings.of(id, HostPort.parse(peerListen).address(), peers, secret(peerSecretFile))
        .withSyncTimeout(Duration.ofSeconds(peerSyncTimeoutSeconds));
  }

  /** The file's bytes without a trailing line end (files written by echo have one). */
  private static byte[] secret(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int end = bytes.length;
    while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) end--;
    return Arrays.copyOf(bytes, end);
  }
}
