package dev.limpet.dataplane.upstream.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.dataplane.upstream.health.HealthCheckMessages.MalformedMessageException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The hand-written grpc.health.v1 codec against protobuf-java's own (the generated messages of
 * grpc-services), and every malformed frame or message it refuses.
 */
class HealthCheckMessagesTest {

  @ParameterizedTest
  @CsvSource(
      value = {"''", "grpc.health.v1.Health", "shop.v1.Cart", "ü-ñ/ünïcode"},
      quoteCharacter = '\'')
  void requestIsTheFramedMessageProtobufWrites(String service) throws Exception {
    ByteBuf framed = HealthCheckMessages.request(ByteBufAllocator.DEFAULT, service);
    try {
      assertThat(framed.readUnsignedByte()).as("not compressed").isZero();
      assertThat(framed.readUnsignedInt()).isEqualTo(framed.readableBytes());
      byte[] message = ByteBufUtil.getBytes(framed);
      HealthCheckRequest expected = HealthCheckRequest.newBuilder().setService(service).build();
      assertThat(message).isEqualTo(expected.toByteArray());
      assertThat(HealthCheckRequest.parseFrom(message).getService()).isEqualTo(service);
    } finally {
      framed.release();
    }
  }

  @Test
  void aServiceNameLongerThan127BytesTakesATwoByteLength() throws Exception {
    String service = "s".repeat(200);
    ByteBuf framed = HealthCheckMessages.request(ByteBufAllocator.DEFAULT, service);
    try {
      framed.skipBytes(HealthCheckMessages.PREFIX);
      assertThat(HealthCheckRequest.parseFrom(ByteBufUtil.getBytes(framed)).getService())
          .isEqualTo(service);
    } finally {
      framed.release();
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ServingStatus.class,
      names = {"UNRECOGNIZED"},
      mode = EnumSource.Mode.EXCLUDE)
  void readsEveryStatusProtobufWrites(ServingStatus status) throws Exception {
    byte[] message = HealthCheckResponse.newBuilder().setStatus(status).build().toByteArray();

    assertThat(HealthCheckMessages.responseStatus(framed(0, message.length, message)))
        .isEqualTo(status.getNumber());
    assertThat(ServingStatus.forNumber(status.getNumber()).name())
        .isEqualTo(
            dev.limpet.dataplane.upstream.health.ServingStatus.of(status.getNumber()).name());
  }

  @ParameterizedTest
  @CsvSource({
    // unknown fields of every wire type before and after status SERVING (08 01)
    "1000 0801, 1", // field 2 varint 0
    "0801 1a03616263, 1", // field 3, 3 bytes
    "21 0102030405060708 0801, 1", // field 4 fixed64
    "2d 01020304 0801, 1", // field 5 fixed32
    "f8ffffff0f 01 0801, 1", // field 536870911 varint
    "0801 0802, 2", // the last field 1 wins
    "'', 0", // proto3 leaves UNKNOWN (0) out
    "08ffffffffffffffffff01, -1", // a negative enum takes 10 bytes
    "0807, 7" // a status grpc.health.v1 does not define is read; the probe refuses it
  })
  void skipsUnknownFieldsAsProtobufDoes(String hex, long status) throws Exception {
    byte[] message = HexFormat.of().parseHex(hex.replace(" ", ""));

    assertThat(HealthCheckMessages.responseStatus(framed(0, message.length, message)))
        .isEqualTo(status);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''| a gRPC frame needs a 5-byte prefix, the body has 0 bytes",
        "00000000| a gRPC frame needs a 5-byte prefix, the body has 4 bytes",
        "01 00000002 0801| the message is compressed, which was not asked for",
        "02 00000002 0801| compressed flag 2 is neither 0 nor 1",
        "00 00000401| message length 1025 exceeds 1024 bytes",
        "00 ffffffff| message length 4294967295 exceeds 1024 bytes",
        "00 00000003 0801| the frame announces 3 bytes, the body carries 2 (a unary response is one"
            + " message)",
        "00 00000002 0801 00000000020801| the frame announces 2 bytes, the body carries 9 (a unary"
            + " response is one message)",
        "00 00000001 08| the message ends inside a varint",
        "00 00000002 0880| the message ends inside a varint",
        "00 0000000c 08ffffffffffffffffffff01| a varint is longer than 10 bytes",
        "00 00000002 0001| field number 0 is not allowed",
        "00 00000002 0a01| field 1 (status) has wire type 2, not a varint",
        "00 00000002 0d01| field 1 (status) has wire type 5, not a varint",
        "00 00000002 1b01| field 3 has wire type 3, which proto3 does not use",
        "00 00000002 1f01| field 3 has wire type 7, which proto3 does not use",
        "00 00000003 1a0561| field 3 needs 5 bytes, 1 remain",
        "00 00000005 1affffffff| the message ends inside a varint",
        "00 00000003 2101ff| field 4 needs 8 bytes, 2 remain",
        "00 00000002 2d01| field 5 needs 4 bytes, 1 remain",
        "00 0000000b 1affffffffffffffff7f01| field 3 needs 9223372036854775807 bytes, 1 remain",
        "00 0000000c 1affffffffffffffffff0101| field 3 needs 18446744073709551615 bytes, 1 remain"
      })
  void refusesMalformedFrames(String hex, String why) {
    ByteBuf body = Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", "")));

    assertThatThrownBy(() -> HealthCheckMessages.responseStatus(body))
        .isInstanceOf(MalformedMessageException.class)
        .hasMessage(why.strip());
  }

  private static ByteBuf framed(int compressed, long length, byte[] message) {
    return Unpooled.buffer().writeByte(compressed).writeInt((int) length).writeBytes(message);
  }
}
