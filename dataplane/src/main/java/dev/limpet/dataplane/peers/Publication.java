package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.peers.PeerMessage.Ack;
import dev.limpet.dataplane.peers.PeerMessage.SnapshotBegin;
import dev.limpet.dataplane.peers.PeerMessage.SnapshotEnd;
import dev.limpet.dataplane.peers.PeerMessage.Subscribe;
import dev.limpet.dataplane.peers.Wire.EntryFrame;
import dev.limpet.dataplane.persistence.PersistenceTable;
import dev.limpet.dataplane.persistence.PersistenceTable.Entry;
import io.netty.channel.ChannelHandlerContext;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends this replica's changes to one authenticated subscriber: from where it left off when the
 * change log still holds that, else a full resync first. Changes go out in batches as fast as the
 * subscriber takes them (channel writability) and at most {@value #WINDOW} ahead of its
 * acknowledgements; each acknowledgement records the replication lag of the changes it covers. Runs
 * on the replication thread.
 */
final class Publication extends FrameHandler {
  private static final int WINDOW = 16_384;
  private static final Logger LOG = LoggerFactory.getLogger(Publication.class);

  private enum State {
    AWAITING_SUBSCRIBE,
    RESYNCING,
    STREAMING
  }

  private final PeerContext peers;
  private final Replica subscriber;
  private final Set<Publication> active;
  private ChannelHandlerContext ctx;
  private State state = State.AWAITING_SUBSCRIBE;
  private long next; // the number of the next change to send
  private long acked;
  private Iterator<PersistenceTable> tables = Collections.emptyIterator();
  private String table;
  private Iterator<Map.Entry<String, Entry>> entries = Collections.emptyIterator();
  private long resyncEntries;
  private boolean pumping;
  private boolean pumpAgain;

  /**
   * @param active the publications the replication thread pumps when changes arrive
   */
  Publication(PeerContext peers, Replica subscriber, Set<Publication> active) {
    this.peers = peers;
    this.subscriber = subscriber;
    this.active = active;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    active.add(this);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    active.remove(this);
    LOG.info("replica {} at {} stopped receiving", subscriber.id(), ctx.channel().remoteAddress());
    ctx.fireChannelInactive();
  }

  @Override
  void handle(ChannelHandlerContext ctx, PeerMessage message) {
    if (message instanceof Subscribe s && state == State.AWAITING_SUBSCRIBE) subscribe(s);
    else if (message instanceof Ack a) acknowledged(a.seq());
    else malformed(ctx, "unexpected " + message.getClass().getSimpleName());
  }

  @Override
  void malformed(ChannelHandlerContext ctx, String detail) {
    LOG.warn("replica {}: {}; closing the link", subscriber.id(), detail);
    ctx.close();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    pump();
    ctx.fireChannelWritabilityChanged();
  }

  /**
   * Sends what the subscriber may take now. A flush may make the channel writable again and call
   * back in here: such a nested call only asks the running one for another round.
   */
  void pump() {
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        if (!ctx.channel().isActive()) return;
        boolean wrote = false;
        if (state == State.RESYNCING) wrote = sendResync();
        if (state == State.STREAMING) wrote |= sendChanges();
        if (wrote) ctx.flush();
      } while (pumpAgain);
    } finally {
      pumping = false;
    }
  }

  /** For the admin view. */
  Map<String, Object> view() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("replica", subscriber.id());
    view.put("address", String.valueOf(ctx.channel().remoteAddress()));
    view.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
    view.put("sentUpTo", next - 1);
    view.put("acknowledgedUpTo", acked);
    return view;
  }

  private void subscribe(Subscribe s) {
    ChangeLog log = peers.log();
    long from = s.seq();
    if (s.incarnation() == peers.self().incarnation()
        && from >= 0
        && from <= log.head()
        && !log.lost(from + 1)) {
      next = from + 1;
      acked = from;
      state = State.STREAMING;
      LOG.info("replica {} resumes after change {}", subscriber.id(), from);
    } else {
      startResync();
    }
    pump();
  }

  private void startResync() {
    long head = peers.log().head();
    ctx.write(Wire.encode(ctx.alloc(), new SnapshotBegin(head, peers.positions().copy())));
    tables = List.copyOf(peers.tables().tables()).iterator();
    entries = Collections.emptyIterator();
    resyncEntries = 0;
    next = head + 1;
    acked = head;
    state = State.RESYNCING;
    peers.metrics().resyncServed();
    LOG.info("sending a full resync to replica {}", subscriber.id());
  }

  /** Writes resync frames while the subscriber takes them; true if it wrote any. */
  private boolean sendResync() {
    boolean wrote = false;
    while (ctx.channel().isWritable()) {
      EntryFrame frame = nextResyncFrame();
      if (frame == null) {
        ctx.write(Wire.encode(ctx.alloc(), new SnapshotEnd(resyncEntries)));
        state = State.STREAMING;
        LOG.info("full resync of {} entries sent to replica {}", resyncEntries, subscriber.id());
        return true;
      }
      resyncEntries += frame.count();
      ctx.write(frame.finish());
      wrote = true;
    }
    return wrote;
  }

  private EntryFrame nextResyncFrame() {
    while (!entries.hasNext()) {
      if (!tables.hasNext()) return null;
      PersistenceTable t = tables.next();
      table = t.name();
      entries = t.replicatedEntries();
    }
    EntryFrame frame = EntryFrame.snapshot(ctx.alloc(), table);
    while (entries.hasNext() && frame.bytes() < Wire.BATCH_BYTES) {
      Map.Entry<String, Entry> e = entries.next();
      frame.addEntry(e.getKey(), e.getValue());
    }
    return frame;
  }

  private boolean sendChanges() {
    ChangeLog log = peers.log();
    boolean wrote = false;
    while (ctx.channel().isWritable() && next <= log.head() && next - acked <= WINDOW) {
      if (log.lost(next)) {
        LOG.warn(
            "replica {} fell behind this replica's change log: it gets a full resync",
            subscriber.id());
        startResync();
        pumpAgain = true;
        return true;
      }
      EntryFrame frame = EntryFrame.updates(ctx.alloc(), next);
      while (frame.bytes() < Wire.BATCH_BYTES && next <= log.head() && next - acked <= WINDOW) {
        ChangeLog.Change change = log.at(next);
        if (change == null) break; // not stored yet (its writer will pump again) or lost
        frame.addChange(change.table(), change.key(), change.entry());
        next++;
      }
      if (frame.count() == 0) {
        frame.discard();
        break;
      }
      peers.metrics().updatesSent(frame.count());
      ctx.write(frame.finish());
      wrote = true;
    }
    return wrote;
  }

  private void acknowledged(long seq) {
    if (seq <= acked || seq >= next) return;
    long now = System.nanoTime();
    for (long s = acked + 1; s <= seq; s++) {
      ChangeLog.Change change = peers.log().at(s);
      if (change != null) peers.metrics().replicated(now - change.loggedAtNanos());
    }
    acked = seq;
    pump();
  }
}
