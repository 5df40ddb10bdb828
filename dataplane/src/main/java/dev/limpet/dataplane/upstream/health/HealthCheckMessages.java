package dev.limpet.dataplane.upstream.health;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * The two messages of {@code grpc.health.v1.Health/Check} in their gRPC frames: the request ({@code
 * HealthCheckRequest}: field 1, string {@code service}) and the response ({@code
 * HealthCheckResponse}: field 1, enum {@code status}).
 *
 * <p>Written by hand rather than with protobuf-java: two one-field messages do not justify a 1.7 MB
 * dependency and generated code. Decoding is strict where a health verdict could otherwise be wrong
 * (a truncated or oversized frame, a compressed message, a field 1 of the wrong wire type) and
 * lenient where protobuf is (unknown fields are skipped, the last field 1 wins).
 */
final class HealthCheckMessages {
  /** The gRPC frame prefix: a compressed flag and a 4-byte big-endian message length. */
  static final int PREFIX = 5;

  /**
   * The largest response message read. A {@code HealthCheckResponse} is 2 bytes; the slack is for
   * fields a newer grpc.health.v1 might add.
   */
  static final int MAX_RESPONSE = 1024;

  private static final int STATUS_FIELD = 1;
  private static final int SERVICE_TAG = 1 << 3 | 2; // field 1, length-delimited
  private static final int VARINT = 0;
  private static final int FIXED64 = 1;
  private static final int LENGTH_DELIMITED = 2;
  private static final int FIXED32 = 5;

  private HealthCheckMessages() {}

  /** The framed request asking for {@code service} ({@code ""}: the server as a whole). */
  static ByteBuf request(ByteBufAllocator alloc, String service) {
    byte[] name = service.getBytes(StandardCharsets.UTF_8);
    // proto3 leaves a field with its default value ("") out of the message
    int length = name.length == 0 ? 0 : 1 + varintSize(name.length) + name.length;
    ByteBuf out = alloc.buffer(PREFIX + length);
    out.writeByte(0).writeInt(length);
    if (name.length > 0) {
      out.writeByte(SERVICE_TAG);
      writeVarint(out, name.length);
      out.writeBytes(name);
    }
    return out;
  }

  /**
   * The status in a response body: exactly one uncompressed gRPC frame holding a {@code
   * HealthCheckResponse}.
   *
   * @return the status number; 0 ({@code UNKNOWN}) when the message leaves it out, as proto3 does
   * @throws MalformedMessageException saying what is wrong with the frame or the message
   */
  static long responseStatus(ByteBuf body) throws MalformedMessageException {
    if (body.readableBytes() < PREFIX)
      throw new MalformedMessageException(
          "a gRPC frame needs a 5-byte prefix, the body has " + body.readableBytes() + " bytes");
    int compressed = body.readUnsignedByte();
    if (compressed == 1)
      throw new MalformedMessageException("the message is compressed, which was not asked for");
    if (compressed != 0)
      throw new MalformedMessageException("compressed flag " + compressed + " is neither 0 nor 1");
    long length = body.readUnsignedInt();
    if (length > MAX_RESPONSE)
      throw new MalformedMessageException(
          "message length " + length + " exceeds " + MAX_RESPONSE + " bytes");
    if (length != body.readableBytes())
      throw new MalformedMessageException(
          "the frame announces "
              + length
              + " bytes, the body carries "
              + body.readableBytes()
              + " (a unary response is one message)");
    return status(body);
  }

  private static long status(ByteBuf message) throws MalformedMessageException {
    long status = 0;
    while (message.isReadable()) {
      long tag = readVarint(message);
      long field = tag >>> 3;
      int wireType = (int) (tag & 7);
      if (field == 0) throw new MalformedMessageException("field number 0 is not allowed");
      if (field == STATUS_FIELD) {
        if (wireType != VARINT)
          throw new MalformedMessageException(
              "field 1 (status) has wire type " + wireType + ", not a varint");
        status = readVarint(message);
      } else {
        skip(message, wireType, field);
      }
    }
    return status;
  }

  /** Skips the value of an unknown field, as protobuf parsers do. */
  private static void skip(ByteBuf message, int wireType, long field)
      throws MalformedMessageException {
    switch (wireType) {
      case VARINT -> readVarint(message);
      case FIXED64 -> skipBytes(message, 8, field);
      case FIXED32 -> skipBytes(message, 4, field);
      case LENGTH_DELIMITED -> skipBytes(message, readVarint(message), field);
      default ->
          // groups (3, 4) are deprecated and not in proto3; 6 and 7 do not exist
          throw new MalformedMessageException(
              "field " + field + " has wire type " + wireType + ", which proto3 does not use");
    }
  }

  private static void skipBytes(ByteBuf message, long count, long field)
      throws MalformedMessageException {
    // a length varint above 2^63 reads as negative: unsigned, it is just as far beyond the end
    if (count < 0 || count > message.readableBytes())
      throw new MalformedMessageException(
          "field "
              + field
              + " needs "
              + Long.toUnsignedString(count)
              + " bytes, "
              + message.readableBytes()
              + " remain");
    message.skipBytes((int) count);
  }

  /** A base-128 varint of at most 10 bytes, the longest a 64-bit value takes. */
  private static long readVarint(ByteBuf in) throws MalformedMessageException {
    long value = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (!in.isReadable()) throw new MalformedMessageException("the message ends inside a varint");
      int b = in.readUnsignedByte();
      value |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) return value;
    }
    throw new MalformedMessageException("a varint is longer than 10 bytes");
  }

  private static void writeVarint(ByteBuf out, int value) {
    while ((value & ~0x7F) != 0) {
      out.writeByte(value & 0x7F | 0x80);
      value >>>= 7;
    }
    out.writeByte(value);
  }

  private static int varintSize(int value) {
    int size = 1;
    while ((value & ~0x7F) != 0) {
      size++;
      value >>>= 7;
    }
    return size;
  }

  /** A response body that is not one well-formed, uncompressed {@code HealthCheckResponse}. */
  static final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedMessageException(String message) {
      super(message);
    }
  }
}
