package dev.limpet.dataplane.upstream.health;

import dev.limpet.contract.HealthMonitorConfig;
import dev.limpet.dataplane.tls.UpstreamTls;
import dev.limpet.dataplane.upstream.Server;
import io.netty.bootstrap.Bootstrap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The health of one server in one pool: runs one check per monitor of the pool and keeps the server
 * healthy exactly while every check passes. Logs each change with the monitor and its reason.
 */
final class ServerHealth {
  private static final Logger log = LoggerFactory.getLogger(ServerHealth.class);

  private final String pool;
  private final Bootstrap bootstrap;
  private final Supplier<UpstreamTls> tls;
  private final Map<HealthMonitorConfig, MonitorCheck> checks = new LinkedHashMap<>();
  private Server server;

  /**
   * @param tls the TLS towards the pool's servers at the time of a probe, null for plain text
   */
  ServerHealth(String pool, Server server, Bootstrap bootstrap, Supplier<UpstreamTls> tls) {
    this.pool = pool;
    this.server = server;
    this.bootstrap = bootstrap;
    this.tls = tls;
  }

  /**
   * Follows a reload: {@code server} is this server's object in the new catalog; checks of monitors
   * that stay keep running with their streaks, others stop or start.
   */
  synchronized void reconfigure(Server server, List<HealthMonitorConfig> monitors) {
    this.server = server;
    Map<HealthMonitorConfig, MonitorCheck> next = new LinkedHashMap<>();
    for (HealthMonitorConfig m : monitors) {
      MonitorCheck kept = checks.remove(m);
      next.put(m, kept != null ? kept : start(m));
    }
    checks.values().forEach(MonitorCheck::stop);
    checks.clear();
    checks.putAll(next);
    boolean healthy = allPassing();
    if (healthy != server.healthy()) {
      server.setHealthy(healthy);
      log.info(
          "Server {} of pool {} is {} after a reload: {}",
          server,
          pool,
          healthy ? "up" : "down",
          healthy ? "every remaining monitor passes" : failures());
    }
  }

  synchronized void stop() {
    checks.values().forEach(MonitorCheck::stop);
    checks.clear();
  }

  synchronized List<MonitorStatus> status() {
    return checks.values().stream().map(MonitorCheck::status).toList();
  }

  private MonitorCheck start(HealthMonitorConfig monitor) {
    MonitorCheck check =
        new MonitorCheck(
            monitor,
            server,
            Probe.of(monitor, bootstrap, tls),
            bootstrap.config().group().next(),
            this::onFlip);
    check.start();
    return check;
  }

  private synchronized void onFlip(MonitorCheck check) {
    if (checks.get(check.monitor()) != check) return;
    boolean wasHealthy = server.healthy();
    boolean healthy = allPassing();
    server.setHealthy(healthy);
    String monitor = check.monitor().name();
    MonitorStatus status = check.status();
    if (wasHealthy != healthy) {
      log.atLevel(healthy ? Level.INFO : Level.WARN)
          .log(
              "Server {} of pool {} is {}: monitor {} reports {} ({} in a row)",
              server,
              pool,
              healthy ? "up" : "down",
              monitor,
              status.lastResult(),
              healthy ? check.monitor().successfulChecks() : check.monitor().failedChecks());
    } else {
      log.info(
          "Monitor {} {} for server {} of pool {} ({}); the server stays down: {}",
          monitor,
          check.passing() ? "passes again" : "fails",
          server,
          pool,
          status.lastResult(),
          failures());
    }
  }

  private boolean allPassing() {
    for (MonitorCheck check : checks.values()) if (!check.passing()) return false;
    return true;
  }

  private String failures() {
    return checks.values().stream()
        .filter(check -> !check.passing())
        .map(check -> check.monitor().name() + ": " + check.status().lastFailure())
        .collect(Collectors.joining(", "));
  }
}
