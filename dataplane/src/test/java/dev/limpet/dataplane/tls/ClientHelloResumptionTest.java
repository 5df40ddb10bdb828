package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** Reading the session ID and the first pre-shared-key identity of a ClientHello body. */
class ClientHelloResumptionTest {
  private static ByteBuf hello(byte[] sessionId, byte[]... pskIdentities) {
    ByteBuf b = Unpooled.buffer();
    b.writeShort(0x0303).writeZero(32);
    b.writeByte(sessionId.length).writeBytes(sessionId);
    b.writeShort(2).writeShort(0x1301); // cipher suites
    b.writeByte(1).writeByte(0); // compression
    ByteBuf extensions = Unpooled.buffer();
    extensions.writeShort(0).writeShort(5).writeShort(3).writeByte(0).writeShort(0); // server_name
    if (pskIdentities.length > 0) {
      ByteBuf identities = Unpooled.buffer();
      for (byte[] identity : pskIdentities)
        identities.writeShort(identity.length).writeBytes(identity).writeInt(7);
      extensions.writeShort(41).writeShort(2 + identities.readableBytes() + 3);
      extensions.writeShort(identities.readableBytes()).writeBytes(identities);
      extensions.writeShort(1).writeByte(0); // binders (not read)
    }
    b.writeShort(extensions.readableBytes()).writeBytes(extensions);
    return b;
  }

  @Test
  void readsTheSessionIdAndTheFirstIdentity() {
    ClientHelloResumption offered =
        ClientHelloResumption.parse(hello(new byte[] {1, 2, 3}, new byte[] {9, 9}, new byte[] {8}));
    assertThat(offered.sessionId()).containsExactly(1, 2, 3);
    assertThat(offered.pskIdentity()).containsExactly(9, 9);
  }

  @Test
  void aHelloWithoutThemOffersNothing() {
    ClientHelloResumption offered = ClientHelloResumption.parse(hello(new byte[0]));
    assertThat(offered.sessionId()).isEmpty();
    assertThat(offered.pskIdentity()).isEmpty();
  }

  @Test
  void aTruncatedHelloOffersNothing() {
    ByteBuf whole = hello(new byte[] {1}, new byte[] {9, 9, 9});
    ByteBuf cut = whole.slice(0, whole.readableBytes() - 8);
    assertThat(ClientHelloResumption.parse(cut)).isSameAs(ClientHelloResumption.NONE);
  }
}
