package dev.limpet.dataplane;

import dev.limpet.dataplane.persistence.CookieKeySet;
import dev.limpet.dataplane.runtime.TicketKeyWatcher;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The options naming the key files replicas share (cookie keys, TLS ticket keys), and the keys they
 * give: without a file, a random key of this process, with a warning of what that costs.
 */
final class KeyFileOptions {
  private static final Logger LOG = LoggerFactory.getLogger(KeyFileOptions.class);

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

  CookieKeySet cookieKeys() throws IOException {
    if (keys != null) return CookieKeySet.load(keys);
    LOG.warn("no --keys file: HttpCookie values are sealed with a random key of this process only");
    return CookieKeySet.random();
  }

  /** Applies the ticket key file and follows its changes; without one, says what that costs. */
  AutoCloseable watchTicketKeys(DataPlane dataPlane, long reloadIntervalMs) throws IOException {
    if (ticketKeys != null)
      return TicketKeyWatcher.start(ticketKeys, dataPlane::ticketKeys, reloadIntervalMs);
    LOG.warn(
        "no --ticket-keys file: TLS session tickets are sealed with a random key of this process;"
            + " a client resuming on another replica gets a full handshake and TLS persistence"
            + " cannot follow its ticket there");
    return () -> {};
  }
}
