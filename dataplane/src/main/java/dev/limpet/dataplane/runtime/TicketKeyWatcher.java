package dev.limpet.dataplane.runtime;

import dev.limpet.dataplane.tls.TicketKeySet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ticket key file, mounted from a Secret: read at start, then each change of it applied (the
 * kubelet rewrites a mounted Secret when it changes). A file that does not parse leaves the keys in
 * force.
 */
public final class TicketKeyWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TicketKeyWatcher.class);

  private final ConfigWatcher watcher;

  private TicketKeyWatcher(ConfigWatcher watcher) {
    this.watcher = watcher;
  }

  /**
   * Applies the file's keys now and polls it every {@code periodMillis}.
   *
   * @throws IllegalArgumentException when the file does not hold valid keys
   */
  public static TicketKeyWatcher start(Path file, Consumer<TicketKeySet> apply, long periodMillis)
      throws IOException {
    String where = "ticket key file " + file;
    byte[] initial = Files.readAllBytes(file);
    TicketKeySet keys = TicketKeySet.parse(new String(initial, StandardCharsets.UTF_8), where);
    apply.accept(keys);
    LOG.info("TLS session ticket keys {} from {}", keys.ids(), file);
    ConfigWatcher watcher =
        new ConfigWatcher(
            file,
            text -> {
              try {
                TicketKeySet next = TicketKeySet.parse(text, where);
                apply.accept(next);
                LOG.info("TLS session ticket keys are now {}", next.ids());
              } catch (IllegalArgumentException e) {
                LOG.error("{}; the keys in force stay", e.getMessage());
              }
            });
    watcher.start(initial, periodMillis);
    return new TicketKeyWatcher(watcher);
  }

  @Override
  public void close() {
    watcher.close();
  }
}
