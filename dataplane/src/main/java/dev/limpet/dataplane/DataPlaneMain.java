package dev.limpet.dataplane;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import dev.limpet.contract.ConfigException;
import dev.limpet.dataplane.admin.AdminServer;
import dev.limpet.dataplane.peers.PeerSettings;
import dev.limpet.dataplane.tls.TlsProviders;
import dev.limpet.dataplane.transport.Transport;
import io.netty.handler.ssl.SslProvider;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Runs a data plane from a configuration file or a ConfigMap, applying each change of it. */
@Command(
    name = "limpet-dataplane",
    mixinStandardHelpOptions = true,
    description = "Limpet data plane: an HTTP reverse proxy with session persistence.")
public final class DataPlaneMain implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(DataPlaneMain.class);

  @Spec CommandSpec spec;
  @Mixin ConfigSourceOptions source;
  @Mixin ServingOptions serving;
  @Mixin KeyFileOptions keyFiles;
  @Mixin PeerOptions peers;

  public static void main(String[] args) {
    NettyDefaults.apply();
    System.exit(new CommandLine(new DataPlaneMain()).execute(args));
  }

  /** Starts the data plane, then waits for the shutdown; 2 when a setting stops the start. */
  @Override
  public Integer call() throws Exception {
    if (serving.noAccessLog)
      ((LoggerContext) LoggerFactory.getILoggerFactory()).getLogger("access").setLevel(Level.OFF);
    OptionCheck check = new OptionCheck(spec.commandLine());
    serving.check(check);
    source.check(check);
    peers.check(check);
    var cookieKeys = keyFiles.cookieKeys();
    PeerSettings peerSettings;
    try {
      peerSettings = peers.settings();
    } catch (IllegalArgumentException e) {
      LOG.error("table replication: {}", e.getMessage());
      return 2;
    }
    SslProvider provider;
    try {
      provider = TlsProviders.select(serving.tlsProvider);
    } catch (IllegalArgumentException e) {
      LOG.error("--tls-provider: {}", e.getMessage());
      return 2;
    }
    Transport transport;
    try {
      transport = Transport.select(serving.transport);
    } catch (IllegalArgumentException e) {
      LOG.error("--transport: {}", e.getMessage());
      return 2;
    }
    DataPlane dataPlane =
        new DataPlane(serving.threads, cookieKeys, peerSettings, provider, transport);
    dataPlane.stallThreshold(Duration.ofMillis(serving.stallThresholdMs));
    if (serving.listenAddress != null) dataPlane.bindWildcardTo(serving.listenAddress);
    AutoCloseable ticketKeyWatcher;
    try {
      ticketKeyWatcher = keyFiles.watchTicketKeys(dataPlane, source.reloadIntervalMs);
    } catch (IllegalArgumentException e) {
      LOG.error("{}", e.getMessage());
      dataPlane.close();
      return 2;
    }
    ConfigSources sources;
    try {
      sources = ConfigSources.open(source, dataPlane);
    } catch (ConfigException e) {
      LOG.error("configuration {} refused: {}", source.file(), e.getMessage());
      dataPlane.close();
      return 2;
    }
    AdminServer adminServer =
        new AdminServer(HostPort.parse(serving.admin).address(), dataPlane, dataPlane.transport());
    sources.watch();
    LOG.info("data plane started; admin on {}", adminServer.address());
    awaitShutdown(
        dataPlane,
        adminServer,
        () -> {
          sources.close();
          ticketKeyWatcher.close();
        });
    return 0;
  }

  /** On SIGTERM: stops the sources, drains the connections, closes; returns when that is done. */
  private void awaitShutdown(DataPlane dataPlane, AdminServer adminServer, AutoCloseable sources)
      throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    sources.close();
                  } catch (Exception e) {
                    LOG.warn("closing the configuration source: {}", e.toString());
                  }
                  try {
                    dataPlane.drain(Duration.ofSeconds(serving.drainSeconds));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  adminServer.close();
                  dataPlane.close();
                  stopped.countDown();
                },
                "shutdown"));
    stopped.await();
  }
}
