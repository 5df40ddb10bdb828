package dev.limpet.dataplane.peers;

import dev.limpet.dataplane.peers.PeerMessage.Ack;
import dev.limpet.dataplane.peers.PeerMessage.Hello;
import dev.limpet.dataplane.peers.PeerMessage.Ping;
import dev.limpet.dataplane.peers.PeerMessage.Proof;
import dev.limpet.dataplane.peers.PeerMessage.Refuse;
import dev.limpet.dataplane.peers.PeerMessage.SnapshotBegin;
import dev.limpet.dataplane.peers.PeerMessage.SnapshotEnd;
import dev.limpet.dataplane.peers.PeerMessage.SnapshotEntries;
import dev.limpet.dataplane.peers.PeerMessage.Subscribe;
import dev.limpet.dataplane.peers.PeerMessage.Updates;
import dev.limpet.dataplane.peers.PeerMessage.Welcome;
import dev.limpet.dataplane.persistence.PersistenceTable.Entry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The replication protocol's byte layout. A frame is a 4-byte length (added and removed by Netty's
 * length-field codecs), a type byte and the type's fields. Change numbers, incarnations, versions
 * and expiries are 8-byte big-endian, entry counts and entry lengths 4-byte; protocol versions and
 * the lengths of strings (UTF-8) and byte arrays are varints.
 *
 * <p>Rolling upgrades: HELLO offers a range of protocol versions and WELCOME picks the highest both
 * speak. Within a version, a reader ignores frame types it does not know and bytes after the fields
 * it knows, both at the end of a frame and at the end of each entry (entries carry their own
 * length). So a newer replica may add frame types and append fields without a version bump; only a
 * change that older readers would misread needs a new version, and replicas keep speaking the old
 * one until every peer knows the new.
 */
final class Wire {
  static final int MAGIC = 0x4C4D5054; // "LMPT"
  static final int MIN_VERSION = 1;
  static final int MAX_VERSION = 1;

  /**
   * The largest frame a subscriber reads: a batch stops growing past {@link #BATCH_BYTES}, and one
   * entry is at most a DataScript key and value of 4 MiB each.
   */
  static final int MAX_FRAME_BYTES = 64 << 20;

  /** The largest frame a publisher reads (control messages only), before or after the handshake. */
  static final int MAX_CONTROL_FRAME_BYTES = 64 << 10;

  /** A frame of entries is sent once it has grown past this. */
  static final int BATCH_BYTES = 64 << 10;

  static final int NONCE_BYTES = 32;

  static final byte HELLO = 1;
  static final byte WELCOME = 2;
  static final byte PROOF = 3;
  static final byte REFUSE = 4;
  static final byte SUBSCRIBE = 5;
  static final byte SNAPSHOT_BEGIN = 6;
  static final byte SNAPSHOT_ENTRIES = 7;
  static final byte SNAPSHOT_END = 8;
  static final byte UPDATES = 9;
  static final byte ACK = 10;
  static final byte PING = 11;

  private static final int HAS_VALUE = 1;

  private Wire() {}

  /** The highest version in both ranges, or -1 when they do not overlap. */
  static int chooseVersion(int peerMin, int peerMax) {
    int highest = Math.min(peerMax, MAX_VERSION);
    return highest >= Math.max(peerMin, MIN_VERSION) ? highest : -1;
  }

  /**
   * The message in {@code frame}, or null for a type this version does not know. Entry-carrying
   * messages read from {@code frame} and are valid only until it is released.
   *
   * @throws IllegalArgumentException when the frame is malformed
   */
  static PeerMessage decode(ByteBuf frame) {
    try {
      byte type = frame.readByte();
      return switch (type) {
        case HELLO -> readHello(frame);
        case WELCOME ->
            new Welcome(
                readVarInt(frame),
                readString(frame),
                frame.readLong(),
                frame.readBoolean(),
                readBytes(frame),
                readBytes(frame));
        case PROOF -> new Proof(readBytes(frame));
        case REFUSE -> new Refuse(readString(frame));
        case SUBSCRIBE -> new Subscribe(frame.readLong(), frame.readLong());
        case SNAPSHOT_BEGIN -> readSnapshotBegin(frame);
        case SNAPSHOT_ENTRIES -> new SnapshotEntries(readString(frame), frame.readInt(), frame);
        case SNAPSHOT_END -> new SnapshotEnd(frame.readLong());
        case UPDATES -> new Updates(frame.readLong(), frame.readInt(), frame);
        case ACK -> new Ack(frame.readLong());
        case PING -> new Ping();
        default -> null;
      };
    } catch (IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("truncated frame", e);
    }
  }

  /** A control message (anything but entries) as a frame. */
  static ByteBuf encode(ByteBufAllocator alloc, PeerMessage message) {
    ByteBuf out = alloc.buffer(64);
    if (message instanceof Hello h) {
      out.writeByte(HELLO).writeInt(MAGIC);
      writeVarInt(out, h.minVersion());
      writeVarInt(out, h.maxVersion());
      writeString(out, h.replicaId());
      out.writeLong(h.incarnation());
      writeBytes(out, h.nonce());
    } else if (message instanceof Welcome w) {
      out.writeByte(WELCOME);
      writeVarInt(out, w.version());
      writeString(out, w.replicaId());
      out.writeLong(w.incarnation()).writeBoolean(w.ready());
      writeBytes(out, w.nonce());
      writeBytes(out, w.proof());
    } else if (message instanceof Proof p) {
      writeBytes(out.writeByte(PROOF), p.proof());
    } else if (message instanceof Refuse r) {
      writeString(out.writeByte(REFUSE), r.reason());
    } else if (message instanceof Subscribe s) {
      out.writeByte(SUBSCRIBE).writeLong(s.incarnation()).writeLong(s.seq());
    } else if (message instanceof SnapshotBegin b) {
      out.writeByte(SNAPSHOT_BEGIN).writeLong(b.headSeq());
      writeVarInt(out, b.positions().size());
      b.positions().forEach((incarnation, seq) -> out.writeLong(incarnation).writeLong(seq));
    } else if (message instanceof SnapshotEnd e) {
      out.writeByte(SNAPSHOT_END).writeLong(e.entries());
    } else if (message instanceof Ack a) {
      out.writeByte(ACK).writeLong(a.seq());
    } else if (message instanceof Ping) {
      out.writeByte(PING);
    } else {
      out.release();
      throw new IllegalArgumentException("entries are written with EntryFrame: " + message);
    }
    return out;
  }

  private static Hello readHello(ByteBuf frame) {
    if (frame.readInt() != MAGIC) throw new IllegalArgumentException("not a Limpet peer");
    return new Hello(
        readVarInt(frame),
        readVarInt(frame),
        readString(frame),
        frame.readLong(),
        readBytes(frame));
  }

  private static SnapshotBegin readSnapshotBegin(ByteBuf frame) {
    long head = frame.readLong();
    int n = readVarInt(frame);
    if (n > frame.readableBytes() / 16) throw new IllegalArgumentException("bad position count");
    Map<Long, Long> positions = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) positions.put(frame.readLong(), frame.readLong());
    return new SnapshotBegin(head, positions);
  }

  /** A frame of entries being built in place: no object per entry. */
  static final class EntryFrame {
    private final ByteBuf frame;
    private final int countIndex;
    private int count;

    private EntryFrame(ByteBuf frame) {
      this.frame = frame;
      this.countIndex = frame.writerIndex();
      frame.writeInt(0);
    }

    /** An UPDATES frame: the changes numbered {@code firstSeq} onwards. */
    static EntryFrame updates(ByteBufAllocator alloc, long firstSeq) {
      return new EntryFrame(alloc.buffer(4096).writeByte(UPDATES).writeLong(firstSeq));
    }

    /** A SNAPSHOT_ENTRIES frame of one table. */
    static EntryFrame snapshot(ByteBufAllocator alloc, String table) {
      ByteBuf frame = alloc.buffer(16 * 1024).writeByte(SNAPSHOT_ENTRIES);
      writeString(frame, table);
      return new EntryFrame(frame);
    }

    /** Appends one change to an UPDATES frame. */
    void addChange(String table, String key, Entry entry) {
      int start = beginEntry();
      writeString(frame, table);
      writeEntry(key, entry);
      endEntry(start);
    }

    /** Appends one entry to a SNAPSHOT_ENTRIES frame. */
    void addEntry(String key, Entry entry) {
      int start = beginEntry();
      writeEntry(key, entry);
      endEntry(start);
    }

    int count() {
      return count;
    }

    int bytes() {
      return frame.readableBytes();
    }

    /** The finished frame; this builder is spent. */
    ByteBuf finish() {
      return frame.setInt(countIndex, count);
    }

    void discard() {
      frame.release();
    }

    private int beginEntry() {
      int start = frame.writerIndex();
      frame.writeInt(0);
      return start;
    }

    private void endEntry(int start) {
      frame.setInt(start, frame.writerIndex() - start - 4);
      count++;
    }

    private void writeEntry(String key, Entry entry) {
      writeString(frame, key);
      frame.writeByte(entry.removed() ? 0 : HAS_VALUE);
      if (!entry.removed()) writeString(frame, entry.value());
      frame.writeLong(entry.expiresAtMillis()).writeLong(entry.version());
    }
  }

  /** Hears each change of an UPDATES frame. */
  interface ChangeVisitor {
    void change(String table, String key, Entry entry);
  }

  /** Hears each entry of a SNAPSHOT_ENTRIES frame. */
  interface EntryVisitor {
    void entry(String key, Entry entry);
  }

  static void readChanges(ByteBuf frame, int count, ValueInterner values, ChangeVisitor visitor) {
    for (int i = 0; i < count; i++) {
      int end = entryEnd(frame);
      String table = readString(frame);
      String key = readString(frame);
      visitor.change(table, key, readState(frame, values));
      frame.readerIndex(end);
    }
  }

  static void readEntries(ByteBuf frame, int count, ValueInterner values, EntryVisitor visitor) {
    for (int i = 0; i < count; i++) {
      int end = entryEnd(frame);
      String key = readString(frame);
      visitor.entry(key, readState(frame, values));
      frame.readerIndex(end);
    }
  }

  private static int entryEnd(ByteBuf frame) {
    int length = frame.readInt();
    if (length < 0 || length > frame.readableBytes())
      throw new IllegalArgumentException("truncated entry");
    return frame.readerIndex() + length;
  }

  private static Entry readState(ByteBuf frame, ValueInterner values) {
    boolean hasValue = (frame.readByte() & HAS_VALUE) != 0;
    String value = hasValue ? values.intern(readString(frame)) : null;
    return new Entry(value, frame.readLong(), frame.readLong());
  }

  static void writeString(ByteBuf out, String s) {
    writeVarInt(out, ByteBufUtil.utf8Bytes(s));
    ByteBufUtil.writeUtf8(out, s);
  }

  static String readString(ByteBuf in) {
    int length = readVarInt(in);
    if (length > in.readableBytes()) throw new IllegalArgumentException("truncated string");
    String s = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
    in.skipBytes(length);
    return s;
  }

  private static void writeBytes(ByteBuf out, byte[] bytes) {
    writeVarInt(out, bytes.length);
    out.writeBytes(bytes);
  }

  private static byte[] readBytes(ByteBuf in) {
    int length = readVarInt(in);
    if (length > in.readableBytes()) throw new IllegalArgumentException("truncated bytes");
    byte[] bytes = new byte[length];
    in.readBytes(bytes);
    return bytes;
  }

  static void writeVarInt(ByteBuf out, int value) {
    while ((value & ~0x7F) != 0) {
      out.writeByte((value & 0x7F) | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }

  static int readVarInt(ByteBuf in) {
    int value = 0;
    for (int shift = 0; shift < 35; shift += 7) {
      byte b = in.readByte();
      value |= (b & 0x7F) << shift;
      if (b >= 0) {
        if (value < 0) throw new IllegalArgumentException("negative varint");
        return value;
      }
    }
    throw new IllegalArgumentException("varint too long");
  }
}
