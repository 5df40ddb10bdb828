package dev.limpet.e2e;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Many GETs as streams of one HTTP/2 connection without TLS (h2c, prior knowledge), every stream
 * sent before the first answer is read: what a browser or a gRPC channel does on a new connection.
 * Raw frames, because the JDK's client opens h2c with an HTTP/1.1 Upgrade instead and cannot pick
 * its source address. Requests are HPACK literals without indexing (the server's answers are never
 * decoded: only their DATA is read, the demo pods' "hello from NAME").
 */
final class H2cStreams {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final int DATA = 0;
  private static final int HEADERS = 1;
  private static final int RST_STREAM = 3;
  private static final int SETTINGS = 4;
  private static final int PING = 6;
  private static final int GOAWAY = 7;
  private static final int END_STREAM = 0x1;
  private static final int ACK = 0x1;
  private static final int END_HEADERS = 0x4;

  private H2cStreams() {}

  /**
   * Sends {@code count} GETs of {@code /1}, {@code /2}, ... on one connection from {@code from}
   * (any address when null); returns each stream's body, in the order the streams were opened.
   */
  static List<String> get(String from, String host, int port, int count) throws IOException {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(5000);
      if (from != null) socket.bind(new InetSocketAddress(from, 0));
      socket.connect(new InetSocketAddress(host, port), 2000);
      OutputStream out = socket.getOutputStream();
      out.write(PREFACE);
      frame(out, SETTINGS, 0, 0, new byte[0]);
      for (int i = 0; i < count; i++)
        frame(
            out, HEADERS, END_STREAM | END_HEADERS, 2 * i + 1, request(host, port, "/" + (i + 1)));
      out.flush();
      return answers(new DataInputStream(socket.getInputStream()), out, count);
    }
  }

  private static List<String> answers(DataInputStream in, OutputStream out, int count)
      throws IOException {
    Map<Integer, ByteArrayOutputStream> bodies = new HashMap<>();
    Set<Integer> ended = new HashSet<>();
    // every frame the server may send before the last stream ends: a bounded number per stream
    for (int frames = 0; ended.size() < count; frames++) {
      if (frames > 100 + 20 * count) throw new IOException("no end after " + frames + " frames");
      int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
      int type = in.readUnsignedByte();
      int flags = in.readUnsignedByte();
      int stream = in.readInt() & 0x7fffffff;
      byte[] payload = in.readNBytes(length);
      if (payload.length < length) throw new IOException("connection closed inside a frame");
      switch (type) {
        case DATA ->
            bodies.computeIfAbsent(stream, s -> new ByteArrayOutputStream()).write(payload);
        case SETTINGS -> {
          if ((flags & ACK) == 0) frame(out, SETTINGS, ACK, 0, new byte[0]);
        }
        case PING -> {
          if ((flags & ACK) == 0) frame(out, PING, ACK, 0, payload);
        }
        case RST_STREAM -> throw new IOException("stream " + stream + " reset");
        case GOAWAY -> throw new IOException("GOAWAY before every stream ended");
        default -> {}
      }
      out.flush();
      if ((type == DATA || type == HEADERS) && (flags & END_STREAM) != 0) ended.add(stream);
    }
    List<String> answers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ByteArrayOutputStream body = bodies.get(2 * i + 1);
      answers.add(body == null ? "" : body.toString(StandardCharsets.UTF_8));
    }
    return answers;
  }

  /** :method GET, :scheme http (static table 2 and 6), :path and :authority as literals. */
  private static byte[] request(String host, int port, String path) {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.write(0x82);
    block.write(0x86);
    literal(block, 4, path);
    literal(block, 1, host + ":" + port);
    return block.toByteArray();
  }

  /** A literal header field without indexing whose name is static-table entry {@code index}. */
  private static void literal(ByteArrayOutputStream block, int index, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    if (bytes.length >= 127) throw new IllegalArgumentException("value too long: " + value);
    block.write(index);
    block.write(bytes.length);
    block.writeBytes(bytes);
  }

  private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload)
      throws IOException {
    byte[] head = {
      (byte) (payload.length >>> 16),
      (byte) (payload.length >>> 8),
      (byte) payload.length,
      (byte) type,
      (byte) flags,
      (byte) (stream >>> 24),
      (byte) (stream >>> 16),
      (byte) (stream >>> 8),
      (byte) stream
    };
    out.write(head);
    out.write(payload);
  }
}
