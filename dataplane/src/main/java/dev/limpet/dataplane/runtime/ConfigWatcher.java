package dev.limpet.dataplane.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls a file (the configuration, a key file) and hands over its text when the content changes.
 * Polling the content (not file events) also follows the symlink swaps Kubernetes uses for mounted
 * ConfigMaps and Secrets.
 */
public final class ConfigWatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
  private final Path file;
  private final Consumer<String> onChange;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "config-watcher"));
  private byte[] last;

  public ConfigWatcher(Path file, Consumer<String> onChange) {
    this.file = file;
    this.onChange = onChange;
  }

  /** Starts polling every {@code periodMillis}, after the content already read at start-up. */
  public void start(byte[] initial, long periodMillis) {
    last = initial;
    timer.scheduleWithFixedDelay(this::poll, periodMillis, periodMillis, TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      byte[] now = Files.readAllBytes(file);
      if (Arrays.equals(now, last)) return;
      last = now;
      onChange.accept(new String(now, java.nio.charset.StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("cannot read {}: {}; keeping the last good content", file, e.toString());
    } catch (RuntimeException e) {
      LOG.error("reloading {} failed; keeping the last good content", file, e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
