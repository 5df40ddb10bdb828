package dev.limpet.dataplane;

import dev.limpet.contract.ConfigException;
import dev.limpet.contract.ConfigLoader;
import dev.limpet.contract.DataPlaneConfig;
import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.TablesConfig;
import dev.limpet.dataplane.metrics.DataPlaneMetrics;
import dev.limpet.dataplane.peers.MicrometerPeerMetrics;
import dev.limpet.dataplane.peers.PeerService;
import dev.limpet.dataplane.peers.PeerSettings;
import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.persistence.PersistenceCatalog;
import dev.limpet.dataplane.persistence.TableRegistry;
import dev.limpet.dataplane.runtime.ConfigHolder;
import dev.limpet.dataplane.runtime.EventLoopWatchdog;
import dev.limpet.dataplane.runtime.RuntimeConfig;
import dev.limpet.dataplane.runtime.ScriptCatalog;
import dev.limpet.dataplane.script.DataScriptEngine;
import dev.limpet.dataplane.script.ScriptLimits;
import dev.limpet.dataplane.server.DataPlaneServer;
import dev.limpet.dataplane.tls.CertificateStore;
import dev.limpet.dataplane.tls.CertificatesPendingException;
import dev.limpet.dataplane.tls.PoolTls;
import dev.limpet.dataplane.tls.TicketKeyRing;
import dev.limpet.dataplane.tls.TicketKeySet;
import dev.limpet.dataplane.tls.TlsCatalog;
import dev.limpet.dataplane.tls.TlsContexts;
import dev.limpet.dataplane.tls.TlsProviders;
import dev.limpet.dataplane.transport.Transport;
import dev.limpet.dataplane.upstream.PoolCatalog;
import dev.limpet.dataplane.upstream.health.HealthChecker;
import dev.limpet.dataplane.upstream.health.MonitorStatus;
import io.micrometer.core.instrument.Gauge;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running data plane: applies configurations (build, bind, swap, release) and owns everything
 * that outlives one configuration.
 */
public final class DataPlane implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
  private static final LongSupplier CLOCK = System::currentTimeMillis;

  /** The default of {@code --stall-threshold-ms}: far above any DataScript's wall clock. */
  public static final Duration DEFAULT_STALL_THRESHOLD = Duration.ofSeconds(10);

  private final ConfigHolder holder = new ConfigHolder();
  private final DataPlaneMetrics metrics = new DataPlaneMetrics();
  private final DataPlaneServer server;
  private final EventLoopWatchdog watchdog;
  private final EventLoopGroup healthLoop;
  private final HealthChecker health;
  private final TableRegistry tables;
  private final PeerService peers;
  private final CookieKeySet cookieKeys;
  private final ScheduledExecutorService housekeeping =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "housekeeping"));
  private PoolCatalog catalog = PoolCatalog.EMPTY;
  private volatile PersistenceCatalog persistence = PersistenceCatalog.EMPTY;
  private ScriptCatalog scripts = ScriptCatalog.EMPTY;
  private final CertificateStore certificates = new CertificateStore();
  private final TlsContexts tlsContexts;
  private TlsCatalog tls = TlsCatalog.EMPTY;

  /** A document that waits for its certificates in the TLS Secret; null when none does. */
  private String pending;

  private DataScriptEngine scriptEngine;
  private volatile boolean configured;
  private volatile boolean draining;

  /**
   * @param cookieKeys the keys that seal HttpCookie values; every replica must have the same
   */
  public DataPlane(int threads, CookieKeySet cookieKeys) {
    this(threads, cookieKeys, null);
  }

  /**
   * @param cookieKeys the keys that seal HttpCookie values; every replica must have the same
   * @param peers how to replicate the persistence tables with the other replicas; null: alone
   */
  public DataPlane(int threads, CookieKeySet cookieKeys, PeerSettings peers) {
    this(threads, cookieKeys, peers, TlsProviders.select("auto"));
  }

  /**
   * @param cookieKeys the keys that seal HttpCookie values; every replica must have the same
   * @param peers how to replicate the persistence tables with the other replicas; null: alone
   * @param tlsProvider what terminates and originates TLS (see {@link TlsProviders})
   */
  public DataPlane(
      int threads, CookieKeySet cookieKeys, PeerSettings peers, SslProvider tlsProvider) {
    this(threads, cookieKeys, peers, tlsProvider, Transport.best());
  }

  /**
   * @param cookieKeys the keys that seal HttpCookie values; every replica must have the same
   * @param peers how to replicate the persistence tables with the other replicas; null: alone
   * @param tlsProvider what terminates and originates TLS (see {@link TlsProviders})
   * @param transport the sockets and event loops of listeners, upstream connections, health probes
   *     and replication (see {@link Transport#select})
   */
  public DataPlane(
      int threads,
      CookieKeySet cookieKeys,
      PeerSettings peers,
      SslProvider tlsProvider,
      Transport transport) {
    String replicaId = peers == null ? "" : peers.replicaId();
    this.tables = new TableRegistry(new TablesConfig(0).maxEntriesPerTable(), CLOCK, replicaId);
    this.peers = peers == null ? null : startPeers(peers, transport);
    this.cookieKeys = cookieKeys;
    this.scriptEngine = new DataScriptEngine(ScriptLimits.DEFAULT, metrics);
    housekeeping.scheduleWithFixedDelay(() -> persistence.tick(), 1, 1, TimeUnit.SECONDS);
    housekeeping.scheduleWithFixedDelay(tables::sweepAll, 10, 10, TimeUnit.SECONDS);
    housekeeping.scheduleWithFixedDelay(this::pollCertificateFiles, 1, 1, TimeUnit.SECONDS);
    this.tlsContexts = new TlsContexts(tlsProvider, new TicketKeyRing(TicketKeySet.random()));
    Gauge.builder("limpet_tls_provider", () -> 1)
        .description("The TLS implementation in use (label provider: OPENSSL or JDK)")
        .tag("provider", tlsProvider.name())
        .register(metrics.registry());
    this.server = new DataPlaneServer(transport, threads, holder, metrics);
    Gauge.builder("limpet_transport", () -> 1)
        .description("The socket transport in use (label transport: io_uring, epoll or nio)")
        .tag("transport", server.transport().name())
        .register(metrics.registry());
    if (this.peers != null) server.countReplicas(this.peers::replicaCount);
    this.watchdog =
        new EventLoopWatchdog(server.workers(), DEFAULT_STALL_THRESHOLD, metrics.registry());
    // probes run on their own thread: a saturated proxy must not make its servers look down
    this.healthLoop = transport.newGroup(1);
    this.health = new HealthChecker(healthLoop, transport.clientChannel());
  }

  private PeerService startPeers(PeerSettings settings, Transport transport) {
    try {
      return PeerService.start(
          settings, tables, new MicrometerPeerMetrics(metrics.registry()), transport);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      housekeeping.shutdownNow();
      throw new IllegalStateException("interrupted while starting replication", e);
    } catch (RuntimeException e) {
      housekeeping.shutdownNow();
      throw e;
    }
  }

  /** See {@link DataPlaneServer#bindWildcardTo}; call before the first configuration. */
  public void bindWildcardTo(String address) {
    server.bindWildcardTo(address);
  }

  /**
   * Parses, validates and applies a configuration document; on any problem the current one stays.
   */
  public synchronized void apply(String document) throws ConfigException {
    apply(ConfigLoader.parse(document));
  }

  /**
   * Applies a validated configuration; on any problem the current one stays.
   *
   * @throws CertificatesPendingException when the TLS Secret does not hold its certificates yet:
   *     {@link #reload} keeps it and applies it when they arrive
   */
  public synchronized void apply(DataPlaneConfig config) throws ConfigException {
    TlsCatalog nextTls = TlsCatalog.build(config, tls, certificates, tlsContexts);
    PersistenceCatalog nextPersistence;
    try {
      nextPersistence = PersistenceCatalog.build(config, persistence, tables, cookieKeys, CLOCK);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(List.of("persistenceProfiles: " + e.getMessage()));
    }
    PoolCatalog pools = PoolCatalog.build(config, catalog, nextPersistence::forPool, CLOCK);
    ScriptLimits limits = ScriptLimits.of(config.scriptLimits());
    DataScriptEngine engine =
        limits.equals(scriptEngine.limits()) ? scriptEngine : new DataScriptEngine(limits, metrics);
    ScriptCatalog nextScripts =
        ScriptCatalog.build(
            config,
            scripts,
            pools,
            engine,
            tables,
            CLOCK,
            (script, key) ->
                certificates.secretKeyBytes(
                    "crypto key '" + key.name() + "' of DataScript '" + script.name() + "'",
                    key.secretKey(),
                    key.sha256()));
    RuntimeConfig next = RuntimeConfig.of(config, pools, nextScripts, nextTls);
    try {
      server.openListeners(next);
    } catch (DataPlaneServer.BindFailedException e) {
      throw new ConfigException(List.of("virtualServices: " + e.getMessage()));
    }
    holder.swap(next);
    catalog = pools;
    persistence = nextPersistence;
    scripts = nextScripts;
    scriptEngine = engine;
    tls = nextTls;
    pending = null;
    tables.maxEntriesPerTable(config.tables().maxEntriesPerTable());
    Set<String> profileTables = nextPersistence.tableNames();
    tables.retain(name -> profileTables.contains(name) || nextScripts.ownsTable(name));
    health.update(pools, PoolTls.byPool(config, nextTls));
    server.poolsChanged();
    server.closeUnusedListeners(next);
    configured = true;
    LOG.info("applied configuration version {}", config.version());
    warnOfJdkTlsPersistence(config);
  }

  /** The JDK's TLS hides what TLS persistence needs for all but TLS 1.2 session-ID resumption. */
  private void warnOfJdkTlsPersistence(DataPlaneConfig config) {
    if (tlsContexts.provider() != SslProvider.JDK) return;
    for (PersistenceProfileConfig profile : config.persistenceProfiles()) {
      if (profile.type() == PersistenceProfileConfig.Type.TLS)
        LOG.warn(
            "persistence profile '{}' (TLS) runs on the JDK's TLS: only TLS 1.2 clients that resume"
                + " by session ID keep their server; TLS 1.3 and ticket resumptions are balanced as"
                + " new (the JDK seals tickets with a key of its own); OpenSSL (netty-tcnative)"
                + " keeps them all",
            profile.name());
    }
  }

  /**
   * Applies a document and logs instead of throwing: for reloads, where the last good configuration
   * keeps serving.
   */
  public synchronized void reload(String document) {
    try {
      apply(document);
    } catch (CertificatesPendingException e) {
      pending = document;
      LOG.info(
          "configuration waits for its certificates, version {} keeps serving: {}",
          holder.current().version(),
          e.getMessage());
    } catch (ConfigException e) {
      LOG.error(
          "configuration refused, the last good one (version {}) keeps serving: {}",
          holder.current().version(),
          e.getMessage());
    }
  }

  /**
   * The TLS Secret now holds {@code data} (key to PEM text): a configuration that waited for these
   * certificates is applied. The applied one needs nothing: it names its certificates by digest,
   * and its contexts are built.
   */
  public synchronized void tlsSecretChanged(Map<String, String> data) {
    if (certificates.secretChanged(data) && pending != null) reload(pending);
  }

  /**
   * A certificate file changed (a rotation): the current configuration is built again, so that new
   * connections get the new certificate, or keep the last good one when the new one is bad.
   */
  private synchronized void pollCertificateFiles() {
    try {
      if (!configured || !certificates.filesChanged()) return;
      apply(holder.current().config());
      LOG.info("certificate files changed: the TLS contexts are rebuilt for new connections");
    } catch (ConfigException | RuntimeException e) {
      LOG.error("certificate files changed but cannot be applied: {}", e.getMessage());
    }
  }

  /**
   * Seals and opens TLS session tickets with {@code keys} from now on: at start-up and at each
   * rotation. Replicas that share the keys resume each other's sessions. Until called, a random key
   * of this process serves.
   */
  public void ticketKeys(TicketKeySet keys) {
    tlsContexts.ticketKeys().replace(keys);
  }

  public RuntimeConfig current() {
    return holder.current();
  }

  /**
   * Ready to take traffic: a configuration is applied, the tables are synced from the peers (or the
   * sync timed out), and no drain has begun.
   */
  public boolean ready() {
    return configured && !draining && (peers == null || peers.ready());
  }

  /** Why tables are not shared with some peers, when they are not (see {@link PeerService}). */
  public Optional<String> peerProblem() {
    return peers == null ? Optional.empty() : peers.problem();
  }

  /** Table replication's state for the admin view; {@code enabled: false} without peers. */
  public Map<String, Object> peersView() {
    return peers == null ? Map.of("enabled", false) : peers.view();
  }

  /** Shutdown, first step: not ready, no new connections, open ones end within {@code timeout}. */
  public void drain(Duration timeout) throws InterruptedException {
    draining = true;
    server.drain(timeout);
  }

  /** Entries per persistence table. */
  public Map<String, Integer> tableSizes() {
    return tables.sizes();
  }

  /** The process's persistence tables (they outlive configurations). */
  public TableRegistry tables() {
    return tables;
  }

  /** The socket transport the listeners and upstream connections run on. */
  public Transport transport() {
    return server.transport();
  }

  /** The TLS implementation in use (OPENSSL or JDK). */
  public SslProvider tlsProvider() {
    return tlsContexts.provider();
  }

  public DataPlaneMetrics metrics() {
    return metrics;
  }

  /** Where the listener of {@code port} is bound. */
  public InetSocketAddress listenerAddress(int port) {
    return server.boundAddress(port);
  }

  /** What each monitor of a server last saw, for the admin view. */
  public List<MonitorStatus> monitorStatus(String pool, String serverKey) {
    return health.status(pool, serverKey);
  }

  /** How long an event loop may run no task before the watchdog reports it (default 10 s). */
  public void stallThreshold(Duration threshold) {
    watchdog.threshold(threshold);
  }

  /**
   * Why the process is not live, if it is not: an event loop stalled for longer than the stall
   * threshold (see {@link EventLoopWatchdog}).
   */
  public Optional<String> livenessProblem() {
    return watchdog.stalled();
  }

  @Override
  public void close() {
    watchdog.close();
    if (peers != null) peers.close();
    housekeeping.shutdownNow();
    health.close();
    healthLoop
        .shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
        .syncUninterruptibly();
    server.close();
  }
}
