package dev.limpet.dataplane;

import dev.limpet.dataplane.transport.Transport;
import picocli.CommandLine.Option;

/** The options of how this process serves: threads, transport, TLS, admin port, logs, shutdown. */
final class ServingOptions {
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
      names = "--stall-threshold-ms",
      defaultValue = "10000",
      description =
          "An event loop that runs no task for this long is stalled: its stack is logged, the stall"
              + " counted and /livez answers 503 until it recovers (default ${DEFAULT-VALUE}).")
  long stallThresholdMs;

  void check(OptionCheck check) {
    check.require(stallThresholdMs > 0, "--stall-threshold-ms must be positive");
    check.value("--admin", admin, HostPort::parse);
    check.value("--transport", transport, Transport::checkSetting);
  }
}
