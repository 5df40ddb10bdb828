package dev.limpet.dataplane.tls;

import io.netty.buffer.ByteBuf;

/**
 * What a ClientHello offers to resume: its legacy session ID (a TLS 1.2 session to resume, or
 * random bytes) and the first TLS 1.3 pre-shared-key identity (a ticket; servers only ever accept
 * the first). Either may be empty.
 */
record ClientHelloResumption(byte[] sessionId, byte[] pskIdentity) {
  static final ClientHelloResumption NONE = new ClientHelloResumption(new byte[0], new byte[0]);

  private static final int PRE_SHARED_KEY = 41;

  /**
   * Reads a ClientHello's body (after the handshake header); {@link #NONE} when it is malformed
   * (the TLS handshake then fails on its own).
   */
  static ClientHelloResumption parse(ByteBuf body) {
    ByteBuf hello = body.slice(); // reads past the end throw, whatever the buffer's capacity
    try {
      int at = 2 + 32; // version, random
      byte[] sessionId = new byte[hello.getUnsignedByte(at)];
      hello.getBytes(at + 1, sessionId);
      at += 1 + sessionId.length;
      at += 2 + hello.getUnsignedShort(at); // cipher suites
      at += 1 + hello.getUnsignedByte(at); // compression methods
      if (at >= hello.writerIndex()) return new ClientHelloResumption(sessionId, new byte[0]);
      int end = at + 2 + hello.getUnsignedShort(at);
      at += 2;
      while (at + 4 <= end) {
        int type = hello.getUnsignedShort(at);
        int length = hello.getUnsignedShort(at + 2);
        if (type == PRE_SHARED_KEY) {
          // identities<7..2^16-1> of { identity<1..2^16-1>, obfuscated_ticket_age uint32 }
          byte[] identity = new byte[hello.getUnsignedShort(at + 6)];
          hello.getBytes(at + 8, identity);
          return new ClientHelloResumption(sessionId, identity);
        }
        at += 4 + length;
      }
      return new ClientHelloResumption(sessionId, new byte[0]);
    } catch (IndexOutOfBoundsException e) {
      return NONE;
    }
  }
}
