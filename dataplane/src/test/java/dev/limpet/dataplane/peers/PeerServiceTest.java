package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.limpet.dataplane.persistence.PersistenceTable;
import dev.limpet.dataplane.testing.FreePorts;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** Replicas on 127.0.0.x replicating tables through real peer links (no proxy). */
@Timeout(60)
class PeerServiceTest {
  private static final String TABLE = "persistence/sticky/web";
  private static final Duration BOUND = Duration.ofSeconds(15);
  private final List<AutoCloseable> started = new ArrayList<>();
  private final InetSocketAddress a = at(31);
  private final InetSocketAddress b = at(32);
  private final InetSocketAddress c = at(33);
  private final List<InetSocketAddress> all = List.of(a, b, c);

  private static InetSocketAddress at(int host) {
    return new InetSocketAddress("127.0.0." + host, FreePorts.next());
  }

  private static long inMinutes(int minutes) {
    return System.currentTimeMillis() + minutes * 60_000L;
  }

  private TestReplica start(String id, InetSocketAddress address) throws InterruptedException {
    return start(new TestReplica(id, address, all));
  }

  private <T extends AutoCloseable> T start(T closeable) {
    started.add(closeable);
    return closeable;
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = started.size() - 1; i >= 0; i--) started.get(i).close();
  }

  private static void awaitReady(TestReplica... replicas) {
    for (TestReplica r : replicas) await().atMost(BOUND).until(r.service::ready);
  }

  @Test
  void anEntryLearnedOnOneReplicaIsServedByTheOthers() throws Exception {
    TestReplica ra = start("a", a);
    TestReplica rb = start("b", b);
    TestReplica rc = start("c", c);
    awaitReady(ra, rb, rc);

    ra.table(TABLE).put("192.0.2.1", "10.0.0.1:80", inMinutes(5));
    rb.table("script/shop/sessions").insertIfAbsent("s-1", "10.0.0.2:80", inMinutes(5));
    rc.table(TABLE).put("192.0.2.9", "10.0.0.3:80", inMinutes(5));
    for (TestReplica r : List.of(ra, rb, rc)) {
      await().atMost(BOUND).until(() -> value(r, TABLE, "192.0.2.1"), "10.0.0.1:80"::equals);
      await()
          .atMost(BOUND)
          .until(() -> value(r, "script/shop/sessions", "s-1"), "10.0.0.2:80"::equals);
      await().atMost(BOUND).until(() -> value(r, TABLE, "192.0.2.9"), "10.0.0.3:80"::equals);
    }

    long extended = inMinutes(30);
    rb.table(TABLE).extend("192.0.2.1", extended);
    rc.table(TABLE).remove("192.0.2.9");
    for (TestReplica r : List.of(ra, rb, rc)) {
      await()
          .atMost(BOUND)
          .until(() -> r.table(TABLE).lookup("192.0.2.1").expiresAtMillis() == extended);
      await().atMost(BOUND).until(() -> r.table(TABLE).lookup("192.0.2.9") == null);
    }

    Map<String, Object> view = ra.service.view();
    assertThat(view).containsEntry("replica", "a").containsEntry("ready", true);
    assertThat(view.get("receivingFrom").toString())
        .contains("replica=b", "replica=c", "state=self", "state=receiving");
    assertThat(((List<?>) view.get("sendingTo"))).hasSize(2);
    assertThat(ra.metrics.sent.get()).isGreaterThanOrEqualTo(2);
    assertThat(ra.metrics.replicated.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void aReplicaThatJoinsLaterHasTheWholeTableWhenItReportsReady() throws Exception {
    TestReplica ra = start("a", a);
    TestReplica rb = start("b", b);
    awaitReady(ra, rb);
    fill(ra, "a", 20_000);
    fill(rb, "b", 5_000);
    for (int i = 0; i < 100; i++) ra.table(TABLE).remove("a-" + i);
    await().atMost(BOUND).until(() -> rb.contents().equals(ra.contents()));

    TestReplica rc = start("c", c);
    await().atMost(BOUND).until(rc.service::ready);
    assertThat(rc.contents()).isEqualTo(ra.contents()).hasSize(25_000);
    assertThat((String) rc.service.view().get("joined")).startsWith("full resync from replica");
    // the other peer resumes from the positions the resync carried: one full resync, not two
    await().atMost(BOUND).until(() -> rc.metrics.connected.get() == 2);
    ra.table(TABLE).put("after", "10.0.0.1:80", inMinutes(5));
    rb.table(TABLE).put("after-b", "10.0.0.1:80", inMinutes(5));
    await().atMost(BOUND).until(() -> rc.contents().equals(ra.contents()));
    assertThat(rc.metrics.resyncsReceived).hasValue(1);
  }

  @Test
  void aRestartedReplicaGetsWhatItMissedBeforeItReportsReady() throws Exception {
    TestReplica ra = start("a", a);
    TestReplica rb = start("b", b);
    TestReplica rc = new TestReplica("c", c, all);
    awaitReady(ra, rb, rc);
    fill(rc, "c", 1_000);
    await().atMost(BOUND).until(() -> ra.contents().size() == 1_000);
    rc.close();

    fill(ra, "a", 3_000);
    for (int i = 0; i < 10; i++) rb.table(TABLE).remove("c-" + i);
    await().atMost(BOUND).until(() -> rb.contents().equals(ra.contents()));

    TestReplica restarted = start("c", c);
    await().atMost(BOUND).until(restarted.service::ready);
    assertThat(restarted.contents()).isEqualTo(ra.contents()).hasSize(4_000);
    assertThat(restarted.table(TABLE).lookup("c-1")).isNull();
  }

  @Test
  void aPeerWithTheWrongSecretIsRefusedAndLogged() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger peersLog = (Logger) LoggerFactory.getLogger("dev.limpet.dataplane.peers");
    logs.start();
    peersLog.addAppender(logs);
    try {
      TestReplica good = start(new TestReplica("good", a, List.of(a, b)));
      TestReplica intruder =
          start(
              new TestReplica(
                  PeerSettings.of(
                          "intruder",
                          b,
                          new StaticPeers(List.of(a, b)),
                          "another secret, 32 bytes long..".getBytes(StandardCharsets.UTF_8))
                      .withTiming(TestReplica.TIMING)));
      good.table(TABLE).put("192.0.2.1", "10.0.0.1:80", inMinutes(5));
      intruder.table(TABLE).put("192.0.2.2", "10.6.6.6:80", inMinutes(5));

      await().atMost(BOUND).until(() -> good.metrics.refusals("auth") > 0);
      await().atMost(BOUND).until(() -> intruder.metrics.refusals("auth") > 0);
      assertThat(logs.list)
          .extracting(ILoggingEvent::getFormattedMessage)
          .anyMatch(m -> m.contains("refused peer connection") && m.contains("wrong peer secret"))
          .anyMatch(m -> m.contains("replica good failed authentication"));
      await()
          .during(Duration.ofSeconds(1))
          .atMost(Duration.ofSeconds(3))
          .until(
              () ->
                  good.table(TABLE).lookup("192.0.2.2") == null
                      && intruder.table(TABLE).lookup("192.0.2.1") == null);
      assertThat(good.metrics.connected).hasValue(0);
    } finally {
      peersLog.detachAppender(logs);
    }
  }

  @Test
  void connectionsThatAreNotLimpetPeersOrShareNoVersionAreRefused() throws Exception {
    TestReplica ra = start(new TestReplica("a", a, List.of(a)));
    awaitReady(ra);

    try (Socket s = connect(a)) {
      new DataOutputStream(s.getOutputStream())
          .write("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      readUntilClosed(s); // returns once the replica has closed the connection
    }
    assertThat(ra.metrics.refusals("protocol")).isEqualTo(1);

    try (Socket s = connect(a)) {
      sendFrame(s, hello(7, 9, new byte[0]));
      byte[] answer = readFrame(s);
      assertThat(answer[0]).isEqualTo(Wire.REFUSE);
      // an unauthenticated peer learns nothing but "refused": not why, not our versions
      assertThat(Wire.decode(io.netty.buffer.Unpooled.wrappedBuffer(answer)))
          .isEqualTo(new PeerMessage.Refuse("refused"));
    }
    assertThat(ra.metrics.refusals("version")).isEqualTo(1);

    // a newer replica offers versions up to 5 and appends a field to HELLO: version 1 is spoken
    try (Socket s = connect(a)) {
      sendFrame(s, hello(1, 5, new byte[] {1, 2, 3, 4}));
      byte[] answer = readFrame(s);
      assertThat(answer[0]).isEqualTo(Wire.WELCOME);
      assertThat(answer[1]).as("the chosen version").isEqualTo((byte) 1);
    }
  }

  @Test
  void junkConnectionsAreToldOnlyRefusedAndLoggedAtMostOnceAMinutePerAddress() throws Exception {
    TestReplica ra = start(new TestReplica("a", a, List.of(a)));
    awaitReady(ra);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger peersLog = (Logger) LoggerFactory.getLogger("dev.limpet.dataplane.peers");
    logs.start();
    peersLog.addAppender(logs);
    try {
      int junk = 40;
      for (int i = 0; i < junk; i++) {
        try (Socket s = connect(a)) {
          // a frame that is not HELLO: the protocol is broken at once
          sendFrame(s, new byte[] {Wire.PROOF, 1, 2, 3});
          byte[] answer = readFrame(s);
          assertThat(answer).isEqualTo(refusedFrame());
          readUntilClosed(s);
        }
      }
      await().atMost(BOUND).until(() -> ra.metrics.refusals("protocol") == junk);
      List<String> refusals =
          logs.list.stream()
              .map(ILoggingEvent::getFormattedMessage)
              .filter(m -> m.contains("refused peer connection"))
              .toList();
      // one line for the first; the other 39 are counted, and reported with the next line
      assertThat(refusals).hasSize(1);
    } finally {
      peersLog.detachAppender(logs);
    }
  }

  /** The exact frame body of the one answer a refused connection gets. */
  private static byte[] refusedFrame() {
    var frame =
        Wire.encode(
            io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, new PeerMessage.Refuse("refused"));
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes);
    frame.release();
    return bytes;
  }

  private static String value(TestReplica r, String table, String key) {
    PersistenceTable.Entry entry = r.table(table).lookup(key);
    return entry == null ? null : entry.value();
  }

  private static void fill(TestReplica r, String prefix, int n) {
    PersistenceTable table = r.table(TABLE);
    for (int i = 0; i < n; i++)
      table.put(prefix + "-" + i, "10.0.0." + (i % 7) + ":80", inMinutes(5));
  }

  private static Socket connect(InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.connect(address, 2_000);
    s.setSoTimeout(5_000);
    return s;
  }

  private static byte[] hello(int min, int max, byte[] appended) {
    var frame = io.netty.buffer.Unpooled.buffer();
    frame.writeByte(Wire.HELLO).writeInt(Wire.MAGIC);
    Wire.writeVarInt(frame, min);
    Wire.writeVarInt(frame, max);
    Wire.writeString(frame, "raw");
    frame.writeLong(12345);
    Wire.writeVarInt(frame, Wire.NONCE_BYTES);
    frame.writeBytes(new byte[Wire.NONCE_BYTES]).writeBytes(appended);
    byte[] bytes = new byte[frame.readableBytes()];
    frame.readBytes(bytes);
    return bytes;
  }

  private static void sendFrame(Socket s, byte[] frame) throws IOException {
    DataOutputStream out = new DataOutputStream(s.getOutputStream());
    out.writeInt(frame.length);
    out.write(frame);
    out.flush();
  }

  private static byte[] readFrame(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return frame;
  }

  private static byte[] readUntilClosed(Socket s) throws IOException {
    return s.getInputStream().readAllBytes();
  }
}
