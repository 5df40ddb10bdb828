package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.persistence.PersistenceTable.Entry;
import dev.limpet.dataplane.persistence.TableListener;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * This replica's own table changes, numbered 1, 2, 3... since the process started, the latest
 * {@code capacity} kept so that a subscriber that reconnects can resume where it left off. Written
 * by any thread without a lock: a writer takes a number, then stores its change in that number's
 * slot; a reader that finds an older change in a slot waits for the next round, one that finds a
 * newer change knows the one it wanted is lost.
 */
final class ChangeLog implements TableListener {
  /** One change and when it was logged ({@link System#nanoTime}), for the replication lag. */
  record Change(long seq, String table, String key, Entry entry, long loggedAtNanos) {}

  private final AtomicReferenceArray<Change> slots;
  private final int mask;
  private final AtomicLong head = new AtomicLong();
  private final Runnable onAppend;

  /**
   * @param capacity rounded up to a power of two
   * @param onAppend run after each change is stored; must be cheap
   */
  ChangeLog(int capacity, Runnable onAppend) {
    int size = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
    this.slots = new AtomicReferenceArray<>(size);
    this.mask = size - 1;
    this.onAppend = onAppend;
  }

  @Override
  public void changed(String table, String key, Entry entry) {
    long seq = head.incrementAndGet();
    slots.set((int) seq & mask, new Change(seq, table, key, entry, System.nanoTime()));
    onAppend.run();
  }

  /**
   * The number of the latest change. Its table write is done; its slot may still be being stored.
   */
  long head() {
    return head.get();
  }

  /** Change {@code seq}, or null when it is not stored yet or {@link #lost lost}. */
  Change at(long seq) {
    Change change = slots.get((int) seq & mask);
    return change != null && change.seq() == seq ? change : null;
  }

  /** True when change {@code seq} was overwritten by newer ones. */
  boolean lost(long seq) {
    return seq <= head.get() - slots.length();
  }
}
