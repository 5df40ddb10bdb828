package dev.limpet.operator;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.Set;

/**
 * The settings of an operator process in a test: every namespace, the probes and (when asked for)
 * the webhook over plain HTTP, each on a free port of 127.0.0.1.
 */
final class LoopbackSettings {
  private LoopbackSettings() {}

  /** Leading through the Lease {@code limpet-system/limpet-operator} as {@code identity}. */
  static OperatorProcess.LeaderElection lease(String identity) {
    return new OperatorProcess.LeaderElection("limpet-operator", "limpet-system", identity);
  }

  static OperatorProcess.Settings of(
      Optional<OperatorProcess.LeaderElection> leaderElection, boolean webhook) {
    return new OperatorProcess.Settings(
        Set.of(),
        leaderElection,
        free(),
        webhook
            ? Optional.of(new OperatorProcess.Webhook(free(), Optional.empty(), Optional.empty()))
            : Optional.empty());
  }

  private static InetSocketAddress free() {
    return new InetSocketAddress("127.0.0.1", 0);
  }
}
