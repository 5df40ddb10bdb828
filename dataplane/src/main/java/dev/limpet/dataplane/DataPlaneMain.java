package dev.limpet.dataplane;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.limpet.contract.ConfigException;
import dev.limpet.dataplane.admin.AdminServer;
import dev.limpet.dataplane.peers.DnsPeers;
import dev.limpet.dataplane.peers.PeerDiscovery;
import dev.limpet.dataplane.peers.PeerSettings;
import dev.limpet.dataplane.peers.StaticPeers;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.runtime.ConfigMapSource;
import dev.limpet.dataplane.runtime.ConfigWatcher;
import dev.limpet.dataplane.runtime.TicketKeyWatcher;
import dev.limpet.dataplane.runtime.TlsSecretSource;
import dev.limpet.dataplane.tls.CertificatesPendingException;
import dev.limpet.dataplane.tls.TlsProviders;
import dev.limpet.dataplane.transport.Transport;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Runs a data plane from a configuration file or a ConfigMap, applying each change of it. */
@Command(
    name = "limpet-dataplane",
    mixinStandardHelpOptions = true,
    description = "Limpet data plane: an HTTP reverse proxy with session persistence.")
public final class DataPlaneMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DataPlaneMain.class);

  @Spec CommandSpec spec;

  /** Where the configuration comes from: exactly one of a file and a ConfigMap. */
  static final class Source {
    @Option(
        names = "--config",
        required = true,
        description = "Configuration file (YAML or JSON); reloaded when it changes.")
    Path config;

    @Option(
        names = "--configmap",
        required = true,
        description =
            "NAMESPACE/NAME of the ConfigMap (key config.yaml) to watch through the Kubernetes API"
                + " instead of a file; the last good configuration serves while the API is down.")
    String configMap;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--tls-secret",
      description =
          "NAMESPACE/NAME of the Secret holding the certificates the configuration names by"
              + " secretKey (the operator's limpet-dataplane-<group>-tls), watched through the"
              + " Kubernetes API.")
  String tlsSecret;

  @Option(
      names = "--tls-provider",
      defaultValue = "auto",
      description =
          "TLS implementation: auto (OpenSSL when it loads, else the JDK), openssl or jdk."
              + " Default: ${DEFAULT-VALUE}.")
  String tlsProvider;

  @Option(
      names = "--transport",
      defaultValue = "auto",
      description =
          "Socket transport: auto (io_uring where the kernel allows it, else epoll, else NIO),"
              + " io_uring, epoll or nio; an explicit one this machine cannot run stops the start."
              + " Default: ${DEFAULT-VALUE}.")
  String transport;

  @Option(
      names = "--keys",
      description =
          "Cookie key file (JSON, from a Secret): {\"cookieKeys\":[{\"id\":..., \"secret\": base64}]}, newest first."
              + " Without it a random key is made: cookies then do not survive a restart or move between replicas.")
  Path keys;

  @Option(
      names = "--ticket-keys",
      description =
          "TLS session ticket key file (JSON, from a Secret): {\"ticketKeys\":[{\"id\":..., \"secret\": base64 of 48"
              + " bytes}]}, newest first; reloaded when it changes. Replicas with the same keys resume"
              + " each other's TLS sessions. Without it a random key is made: tickets then resume on"
              + " this process only.")
  Path ticketKeys;

  @Option(
      names = "--admin",
      defaultValue = "127.0.0.1:9901",
      description = "Admin address (probes, state, metrics). Default: ${DEFAULT-VALUE}.")
  String admin;

  @Option(
      names = "--listen-address",
      description =
          "Listeners configured on 0.0.0.0 (the default) bind this address instead: for several"
              + " replicas on one host, each on its own address (the local run does so).")
  String listenAddress;

  @Option(names = "--threads", description = "Event-loop threads. Default: the number of CPUs.")
  int threads = Runtime.getRuntime().availableProcessors();

  // a plain flag: picocli's negatable form of an option defaulting to true never turns false
  @Option(names = "--no-access-log", description = "Turns the per-request access log off.")
  boolean noAccessLog;

  @Option(
      names = "--drain-seconds",
      defaultValue = "15",
      description =
          "On SIGTERM, how long open connections may finish their requests (default ${DEFAULT-VALUE}).")
  int drainSeconds;

  @Option(
      names = "--reload-interval-ms",
      defaultValue = "1000",
      description = "How often the configuration file is checked for changes.")
  long reloadIntervalMs;

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
  Discovery peers;

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

  @Option(
      names = "--stall-threshold-ms",
      defaultValue = "10000",
      description =
          "An event loop that runs no task for this long is stalled: its stack is logged, the stall"
              + " counted and /livez answers 503 until it recovers (default ${DEFAULT-VALUE}).")
  long stallThresholdMs;

  public static void main(String[] args) {
    System.exit(new CommandLine(new DataPlaneMain()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    if (noAccessLog)
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("access").setLevel(Level.OFF);
    checkValues();
    Path config = source.config;
    String configMap = source.configMap;
    CookieKeySet cookieKeys;
    if (keys != null) {
      cookieKeys = CookieKeySet.load(keys);
    } else {
      LOG.warn(
          "no --keys file: HttpCookie values are sealed with a random key of this process only");
      cookieKeys = CookieKeySet.random();
    }
    PeerSettings peerSettings;
    try {
      peerSettings = peerSettings();
    } catch (IllegalArgumentException e) {
      LOG.error("table replication: {}", e.getMessage());
      return 2;
    }
    SslProvider provider;
    try {
      provider = TlsProviders.select(tlsProvider);
    } catch (IllegalArgumentException e) {
      LOG.error("--tls-provider: {}", e.getMessage());
      return 2;
    }
    Transport chosenTransport;
    try {
      chosenTransport = Transport.select(transport);
    } catch (IllegalArgumentException e) {
      LOG.error("--transport: {}", e.getMessage());
      return 2;
    }
    DataPlane dataPlane =
        new DataPlane(threads, cookieKeys, peerSettings, provider, chosenTransport);
    dataPlane.stallThreshold(Duration.ofMillis(stallThresholdMs));
    if (listenAddress != null) dataPlane.bindWildcardTo(listenAddress);
    AutoCloseable ticketKeyWatcher;
    try {
      ticketKeyWatcher = watchTicketKeys(dataPlane);
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      dataPlane.close();
      return 2;
    }
    KubernetesClient kubernetes =
        configMap != null || tlsSecret != null ? new KubernetesClientBuilder().build() : null;
    // the certificates first: a configuration that names them then applies at once
    TlsSecretSource secretSource = tlsSecret == null ? null : watchTlsSecret(kubernetes, dataPlane);
    byte[] initial = null;
    if (config != null) {
      initial = Files.readAllBytes(config);
      try {
        dataPlane.apply(new String(initial, StandardCharsets.UTF_8));
      } catch (CertificatesPendingException e) {
        dataPlane.reload(new String(initial, StandardCharsets.UTF_8)); // applied when they arrive
      } catch (ConfigException e) {
        LOG.error("configuration {} refused: {}", config, e.getMessage());
        if (secretSource != null) secretSource.close();
        if (kubernetes != null) kubernetes.close();
        dataPlane.close();
        return 2;
      }
    }
    AdminServer adminServer = new AdminServer(parse(admin), dataPlane, dataPlane.transport());
    AutoCloseable watcher;
    if (config != null) {
      ConfigWatcher files = new ConfigWatcher(config, dataPlane::reload);
      files.start(initial, reloadIntervalMs);
      watcher = files;
    } else {
      // not ready (/readyz) until the first configuration from the ConfigMap is applied
      watcher = watchConfigMap(kubernetes, dataPlane);
    }
    AutoCloseable sources =
        () -> {
          watcher.close();
          if (secretSource != null) secretSource.close();
          if (kubernetes != null) kubernetes.close();
        };
    LOG.info("data plane started; admin on {}", adminServer.address());

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    sources.close();
                    ticketKeyWatcher.close();
                  } catch (Exception e) {
                    LOG.warn("closing the configuration source: {}", e.toString());
                  }
                  try {
                    dataPlane.drain(Duration.ofSeconds(drainSeconds));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  adminServer.close();
                  dataPlane.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
    return 0;
  }

  /**
   * Checks the forms picocli's types cannot express, so that a bad value gets picocli's one-line
   * error and the usage, like a missing or excluded option, before anything starts.
   */
  private void checkValues() {
    if (stallThresholdMs <= 0)
      throw new ParameterException(spec.commandLine(), "--stall-threshold-ms must be positive");
    check("--configmap", source.configMap, DataPlaneMain::slash);
    check("--tls-secret", tlsSecret, DataPlaneMain::slash);
    check("--admin", admin, DataPlaneMain::parse);
    check("--transport", transport, Transport::checkSetting);
    check("--peer-listen", peerListen, DataPlaneMain::parse);
    if (peers != null) {
      // a dependent option: picocli's co-occurring groups word this as a puzzle
      if (peerSecretFile == null)
        throw new ParameterException(
            spec.commandLine(), "--peer-secret-file is required with --peers or --peers-dns");
      check("--peers-dns", peers.dns, DataPlaneMain::parse);
      if (peers.list != null)
        for (String peer : peers.list) check("--peers", peer, DataPlaneMain::parse);
    }
  }

  private void check(String option, String value, java.util.function.Function<String, ?> reader) {
    if (value == null) return;
    try {
      reader.apply(value);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
    }
  }

  /** Applies the ticket key file and follows its changes; without one, says what that costs. */
  private AutoCloseable watchTicketKeys(DataPlane dataPlane) throws IOException {
    if (ticketKeys != null)
      return TicketKeyWatcher.start(ticketKeys, dataPlane::ticketKeys, reloadIntervalMs);
    LOG.warn(
        "no --ticket-keys file: TLS session tickets are sealed with a random key of this process;"
            + " a client resuming on another replica gets a full handshake and TLS persistence"
            + " cannot follow its ticket there");
    return () -> {};
  }

  /** The replication settings, or null when no peers are configured. */
  private PeerSettings peerSettings() throws IOException {
    if (peers == null) return null;
    String peersDns = peers.dns;
    PeerDiscovery discovery =
        peersDns != null
            ? new DnsPeers(host(peersDns), port(peersDns))
            : new StaticPeers(peers.list.stream().map(DataPlaneMain::parse).toList());
    String id = replicaId != null ? replicaId : System.getenv().getOrDefault("HOSTNAME", "");
    if (id.isBlank()) id = java.net.InetAddress.getLocalHost().getHostName();
    return PeerSettings.of(id, parse(peerListen), discovery, secret(peerSecretFile))
        .withSyncTimeout(Duration.ofSeconds(peerSyncTimeoutSeconds));
  }

  /** The file's bytes without a trailing line end (files written by echo have one). */
  static byte[] secret(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    int end = bytes.length;
    while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) end--;
    return Arrays.copyOf(bytes, end);
  }

  private AutoCloseable watchConfigMap(KubernetesClient client, DataPlane dataPlane) {
    String configMap = source.configMap;
    ConfigMapSource watch =
        new ConfigMapSource(client, namespace(configMap), name(configMap), dataPlane::reload);
    watch.start();
    return watch;
  }

  private TlsSecretSource watchTlsSecret(KubernetesClient client, DataPlane dataPlane) {
    TlsSecretSource source =
        new TlsSecretSource(
            client, namespace(tlsSecret), name(tlsSecret), dataPlane::tlsSecretChanged);
    source.start();
    return source;
  }

  private static String namespace(String namespaceAndName) {
    return namespaceAndName.substring(0, slash(namespaceAndName));
  }

  private static String name(String namespaceAndName) {
    return namespaceAndName.substring(slash(namespaceAndName) + 1);
  }

  private static int slash(String namespaceAndName) {
    int slash = namespaceAndName.indexOf('/');
    if (slash <= 0 || slash == namespaceAndName.length() - 1)
      throw new IllegalArgumentException("expected NAMESPACE/NAME, got " + namespaceAndName);
    return slash;
  }

  static InetSocketAddress parse(String hostPort) {
    return new InetSocketAddress(host(hostPort), port(hostPort));
  }

  private static String host(String hostPort) {
    return hostPort.substring(0, colon(hostPort));
  }

  private static int port(String hostPort) {
    return Integer.parseInt(hostPort.substring(colon(hostPort) + 1));
  }

  private static int colon(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    if (colon < 0) throw new IllegalArgumentException("expected host:port, got " + hostPort);
    return colon;
  }
}
