package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import dev.limpet.dataplane.peers.Wire.EntryFrame;
import dev.limpet.dataplane.persistence.PersistenceTable.Entry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class WireTest {
  private static final ByteBufAllocator ALLOC = ByteBufAllocator.DEFAULT;

  private static PeerMessage roundTrip(PeerMessage message) {
    ByteBuf frame = Wire.encode(ALLOC, message);
    try {
      return Wire.decode(frame);
    } finally {
      frame.release();
    }
  }

  @Test
  void controlMessagesSurviveTheWire() {
    byte[] nonce = new byte[32];
    nonce[3] = 7;
    assertThat(roundTrip(new Hello(1, 3, "dp-0", -42, nonce)))
        .usingRecursiveComparison()
        .isEqualTo(new Hello(1, 3, "dp-0", -42, nonce));
    assertThat(roundTrip(new Welcome(1, "dp-1", 9, true, nonce, new byte[] {1, 2})))
        .usingRecursiveComparison()
        .isEqualTo(new Welcome(1, "dp-1", 9, true, nonce, new byte[] {1, 2}));
    assertThat(roundTrip(new Proof(nonce))).usingRecursiveComparison().isEqualTo(new Proof(nonce));
    assertThat(roundTrip(new Refuse("nö"))).isEqualTo(new Refuse("nö"));
    assertThat(roundTrip(new Subscribe(5, 6))).isEqualTo(new Subscribe(5, 6));
    assertThat(roundTrip(new SnapshotBegin(10, Map.of(1L, 2L, 3L, 4L))))
        .isEqualTo(new SnapshotBegin(10, Map.of(1L, 2L, 3L, 4L)));
    assertThat(roundTrip(new SnapshotEnd(1_000_000))).isEqualTo(new SnapshotEnd(1_000_000));
    assertThat(roundTrip(new Ack(77))).isEqualTo(new Ack(77));
    assertThat(roundTrip(new Ping())).isEqualTo(new Ping());
  }

  @Test
  void entryFramesCarryValuesTombstonesExpiriesAndVersions() {
    EntryFrame updates = EntryFrame.updates(ALLOC, 41);
    updates.addChange("persistence/p/web", "192.0.2.1", new Entry("10.0.0.1:80", 5_000, 99));
    updates.addChange("script/vs/t", "ключ", new Entry(null, 6_000, 100));
    ByteBuf frame = updates.finish();
    try {
      Updates decoded = (Updates) Wire.decode(frame);
      assertThat(decoded.firstSeq()).isEqualTo(41);
      List<String> seen = new ArrayList<>();
      Wire.readChanges(
          decoded.frame(),
          decoded.count(),
          new ValueInterner(),
          (table, key, entry) -> seen.add(table + " " + key + " " + entry));
      assertThat(seen)
          .containsExactly(
              "persistence/p/web 192.0.2.1 Entry[value=10.0.0.1:80, expiresAtMillis=5000, version=99]",
              "script/vs/t ключ Entry[value=null, expiresAtMillis=6000, version=100]");
    } finally {
      frame.release();
    }
  }

  @Test
  void snapshotFramesNameTheirTableOnce() {
    EntryFrame snapshot = EntryFrame.snapshot(ALLOC, "persistence/p/web");
    for (int i = 0; i < 3; i++) snapshot.addEntry("k" + i, new Entry("v", 1_000 + i, i));
    ByteBuf frame = snapshot.finish();
    try {
      SnapshotEntries decoded = (SnapshotEntries) Wire.decode(frame);
      assertThat(decoded.table()).isEqualTo("persistence/p/web");
      List<Long> expiries = new ArrayList<>();
      Wire.readEntries(
          decoded.frame(),
          decoded.count(),
          new ValueInterner(),
          (key, entry) -> expiries.add(entry.expiresAtMillis()));
      assertThat(expiries).containsExactly(1_000L, 1_001L, 1_002L);
    } finally {
      frame.release();
    }
  }

  @Test
  void aNewerPeersUnknownFramesAndAppendedFieldsAreIgnored() {
    assertThat(Wire.decode(Unpooled.wrappedBuffer(new byte[] {99, 1, 2, 3}))).isNull();

    ByteBuf ack = Wire.encode(ALLOC, new Ack(5)).writeLong(123); // a field of a later version
    assertThat(Wire.decode(ack)).isEqualTo(new Ack(5));
    ack.release();

    // an entry with a field appended after the ones version 1 knows
    ByteBuf frame = Unpooled.buffer().writeByte(Wire.UPDATES).writeLong(1).writeInt(2);
    for (String key : List.of("a", "b")) {
      ByteBuf entry = Unpooled.buffer();
      Wire.writeString(entry, "t");
      Wire.writeString(entry, key);
      entry.writeByte(1);
      Wire.writeString(entry, "v");
      entry.writeLong(1_000).writeLong(7).writeInt(0xCAFE);
      frame.writeInt(entry.readableBytes()).writeBytes(entry);
    }
    Updates updates = (Updates) Wire.decode(frame);
    List<String> keys = new ArrayList<>();
    Wire.readChanges(
        updates.frame(), updates.count(), new ValueInterner(), (t, key, e) -> keys.add(key));
    assertThat(keys).containsExactly("a", "b");
  }

  @Test
  void versionsAreNegotiatedToTheHighestCommonOne() {
    assertThat(Wire.chooseVersion(1, 1)).isEqualTo(1);
    assertThat(Wire.chooseVersion(1, 9)).isEqualTo(Wire.MAX_VERSION);
    assertThat(Wire.chooseVersion(Wire.MAX_VERSION + 1, Wire.MAX_VERSION + 3)).isEqualTo(-1);
  }

  @Test
  void malformedFramesAreRejected() {
    assertThatThrownBy(() -> Wire.decode(Unpooled.wrappedBuffer(new byte[] {Wire.HELLO, 1, 2})))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                Wire.decode(Unpooled.buffer().writeByte(Wire.HELLO).writeInt(0x48545450))) // "HTTP"
        .hasMessageContaining("not a Limpet peer");
  }
}
