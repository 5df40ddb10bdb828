package dev.limpet.dataplane.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one named object through the Kubernetes API and hands over what {@code extract} reads
 * from it whenever that changes, the first time as soon as it is listed. While the API server is
 * unreachable nothing is handed over, so what was last handed over stays in use; the informer lists
 * and watches again by itself, however long the outage, from start-up on. A deleted object is
 * logged and changes nothing.
 *
 * @param <T> the kind of object
 * @param <V> what is handed over; null from {@code extract} means "nothing usable", logged
 */
final class ResourceWatch<T extends HasMetadata, V> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ResourceWatch.class);

  private final String what;
  private final Function<T, V> extract;
  private final Consumer<V> onChange;
  private final SharedIndexInformer<T> informer;
  private V last;

  /**
   * @param what names the object in logs, e.g. {@code ConfigMap limpet/limpet-dataplane-default}
   * @param onChange receives each new value; validating and applying it is its business
   */
  ResourceWatch(
      SharedIndexInformer<T> informer, String what, Function<T, V> extract, Consumer<V> onChange) {
    this.informer = informer;
    this.what = what;
    this.extract = extract;
    this.onChange = onChange;
    // retry every failure, the first list included: a data plane may start before the API answers
    informer.exceptionHandler(
        (started, error) -> {
          LOG.warn("{}: {}; retrying, the last good one stays in use", what, error.toString());
          return true;
        });
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(T object) {
            changed(object);
          }

          @Override
          public void onUpdate(T old, T object) {
            changed(object);
          }

          @Override
          public void onDelete(T object, boolean unknownFinalState) {
            LOG.warn("{} was deleted; the last good one stays in use", what);
          }
        });
  }

  void start() {
    informer.start();
  }

  /** Starts, and runs {@code onAbsent} once if the first successful listing finds no object. */
  void start(Runnable onAbsent) {
    informer
        .start()
        .thenRun(
            () -> {
              synchronized (this) {
                // nothing handed over yet: an object added meanwhile wins over its absence
                if (last == null && informer.getStore().list().isEmpty()) onAbsent.run();
              }
            });
  }

  boolean watching() {
    return informer.isWatching();
  }

  private synchronized void changed(T object) {
    V value = extract.apply(object);
    if (value == null) {
      LOG.warn("{} holds nothing usable; ignored", what);
      return;
    }
    if (Objects.equals(value, last)) return;
    last = value;
    try {
      onChange.accept(value);
    } catch (RuntimeException e) {
      LOG.error("{}: applying it failed; the last good one stays in use", what, e);
    }
  }

  @Override
  public void close() {
    informer.close();
  }
}
