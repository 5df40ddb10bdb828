package dev.limpet.dataplane.testing;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * An HTTP/2 client over a plain socket (h2c with prior knowledge) that writes frames byte by byte,
 * so a test can send what no well-behaved client library would: upper-case names, pseudo-header
 * fields out of place, CR/LF in values, resets and CONTINUATION frames by the thousand. Header
 * blocks are HPACK literals without indexing (RFC 7541 §6.2.2), no Huffman; what the server sends
 * is decoded with Netty's HPACK decoder. Every read is bounded by the socket's timeout.
 */
public final class RawH2 implements AutoCloseable {
  public static final int DATA = 0, HEADERS = 1, RST_STREAM = 3, SETTINGS = 4, PING = 6;
  public static final int GOAWAY = 7, WINDOW_UPDATE = 8;
  public static final int CONTINUATION = 9;
  public static final int END_STREAM = 1, END_HEADERS = 4;

  /**
   * One frame from the server; {@code headers} decoded for a HEADERS frame (every one is decoded in
   * order: HPACK's dynamic table depends on it).
   */
  public record Frame(int type, int flags, int streamId, byte[] payload, Http2Headers headers) {
    /** The error code of a RST_STREAM or GOAWAY frame. */
    public long errorCode() {
      int at = type == GOAWAY ? 4 : 0;
      return ((payload[at] & 0xffL) << 24)
          | ((payload[at + 1] & 0xff) << 16)
          | ((payload[at + 2] & 0xff) << 8)
          | (payload[at + 3] & 0xff);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;
  private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

  public RawH2(int port) throws IOException {
    this(port, null, "");
  }

  /**
   * From {@code source} (null: any), {@code before} written ahead of the preface (a PROXY protocol
   * header).
   */
  public RawH2(int port, String source, String before) throws IOException {
    this(
        new Socket("127.0.0.1", port, source == null ? null : InetAddress.getByName(source), 0),
        before);
  }

  /**
   * Over {@code connected}, e.g. a TLS socket whose handshake chose ALPN h2; {@code before} written
   * ahead of the preface.
   */
  public RawH2(Socket connected, String before) throws IOException {
    socket = connected;
    socket.setSoTimeout(5_000);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    out.write(before.getBytes(StandardCharsets.US_ASCII));
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    frame(SETTINGS, 0, 0, new byte[0]);
    // the server's SETTINGS come first; its limits hold once they are acknowledged
    Frame settings = read();
    if (settings == null || settings.type != SETTINGS)
      throw new IOException("the server did not start with SETTINGS: " + settings);
    frame(SETTINGS, 1, 0, new byte[0]);
    out.flush();
  }

  /** A header block of literal fields, names and values alternating, in the order given. */
  public static byte[] block(String... namesAndValues) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      b.write(0); // literal without indexing, new name
      string(b, namesAndValues[i]);
      string(b, namesAndValues[i + 1]);
    }
    return b.toByteArray();
  }

  private static void string(ByteArrayOutputStream b, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
    integer(b, bytes.length, 7);
    b.writeBytes(bytes);
  }

  private static void integer(ByteArrayOutputStream b, int value, int prefixBits) {
    int max = (1 << prefixBits) - 1;
    if (value < max) {
      b.write(value);
      return;
    }
    b.write(max);
    for (value -= max; value >= 128; value >>>= 7) b.write((value & 0x7f) | 0x80);
    b.write(value);
  }

  /** A GET of {@code path} with the usual pseudo-header fields, then {@code extra} fields. */
  public static byte[] get(String path, String... extra) {
    String[] all = new String[8 + extra.length];
    System.arraycopy(
        new String[] {":method", "GET", ":scheme", "http", ":path", path, ":authority", "a"},
        0,
        all,
        0,
        8);
    System.arraycopy(extra, 0, all, 8, extra.length);
    return block(all);
  }

  public void headers(int streamId, int flags, byte[] block) throws IOException {
    frame(HEADERS, flags, streamId, block);
  }

  public void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
    byte[] head = {
      (byte) (payload.length >>> 16),
      (byte) (payload.length >>> 8),
      (byte) payload.length,
      (byte) type,
      (byte) flags,
      (byte) (streamId >>> 24),
      (byte) (streamId >>> 16),
      (byte) (streamId >>> 8),
      (byte) streamId
    };
    out.write(head);
    out.write(payload);
  }

  public void reset(int streamId, int errorCode) throws IOException {
    frame(
        RST_STREAM,
        0,
        streamId,
        new byte[] {
          (byte) (errorCode >>> 24),
          (byte) (errorCode >>> 16),
          (byte) (errorCode >>> 8),
          (byte) errorCode
        });
  }

  /** A SETTINGS frame with one setting. */
  public void setting(int id, int value) throws IOException {
    frame(SETTINGS, 0, 0, ByteBuffer.allocate(6).putShort((short) id).putInt(value).array());
  }

  public void windowUpdate(int streamId, int increment) throws IOException {
    frame(WINDOW_UPDATE, 0, streamId, ByteBuffer.allocate(4).putInt(increment).array());
  }

  /** A PING (not an acknowledgement) with eight bytes of {@code data}. */
  public void ping(long data) throws IOException {
    frame(PING, 0, 0, ByteBuffer.allocate(8).putLong(data).array());
  }

  public void flush() throws IOException {
    out.flush();
  }

  /** The next frame, or null at the end of the connection (or when none came in time). */
  public Frame read() throws IOException {
    byte[] head = new byte[9];
    try {
      in.readFully(head);
      int length = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
      byte[] payload = new byte[length];
      in.readFully(payload);
      int stream =
          ((head[5] & 0x7f) << 24)
              | ((head[6] & 0xff) << 16)
              | ((head[7] & 0xff) << 8)
              | (head[8] & 0xff);
      int type = head[3] & 0xff;
      return new Frame(
          type, head[4] & 0xff, stream, payload, type == HEADERS ? decode(stream, payload) : null);
    } catch (EOFException | SocketTimeoutException e) {
      return null;
    } catch (IOException e) {
      if (e.getMessage() != null && e.getMessage().contains("reset")) return null;
      throw e;
    }
  }

  /** The next frame if one comes within {@code ms}, else null (small frames: they come whole). */
  public Frame readWithin(int ms) throws IOException {
    int before = socket.getSoTimeout();
    socket.setSoTimeout(ms);
    try {
      return read();
    } finally {
      socket.setSoTimeout(before);
    }
  }

  /**
   * The first HEADERS or RST_STREAM frame on {@code streamId}, or a GOAWAY; null when the
   * connection ended first. Reads at most {@code maxFrames} frames; frames of other streams are
   * dropped, so a test awaits each stream's answer before it opens the next.
   */
  public Frame answer(int streamId, int maxFrames) throws IOException {
    for (int i = 0; i < maxFrames; i++) {
      Frame f = read();
      if (f == null) return null;
      if (f.type == GOAWAY) return f;
      if (f.streamId == streamId && (f.type == HEADERS || f.type == RST_STREAM)) return f;
    }
    throw new IllegalStateException("no answer on stream " + streamId + " in " + maxFrames);
  }

  /**
   * The first HEADERS or RST_STREAM frame on each of {@code streamIds}, by stream, for streams the
   * test opened together; reads at most {@code maxFrames} frames and stops at a GOAWAY or the end
   * of the connection, so a stream without an answer is missing from the map.
   */
  public Map<Integer, Frame> answers(Collection<Integer> streamIds, int maxFrames)
      throws IOException {
    Map<Integer, Frame> answers = new TreeMap<>();
    for (int i = 0; i < maxFrames && answers.size() < streamIds.size(); i++) {
      Frame f = read();
      if (f == null || f.type == GOAWAY) break;
      if (streamIds.contains(f.streamId) && (f.type == HEADERS || f.type == RST_STREAM))
        answers.putIfAbsent(f.streamId, f);
    }
    return answers;
  }

  /** The header fields of a HEADERS frame the server sent (no padding or priority: Netty's). */
  private Http2Headers decode(int streamId, byte[] block) {
    try {
      return decoder.decodeHeaders(streamId, Unpooled.wrappedBuffer(block));
    } catch (Http2Exception e) {
      throw new IllegalStateException(java.util.HexFormat.of().formatHex(block), e);
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
