package dev.limpet.dataplane.peers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.limpet.dataplane.peers.PeerAuth.Role;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class PeerAuthTest {
  private final PeerAuth auth = new PeerAuth(bytes("0123456789abcdef"));
  private final byte[] subscriberNonce = PeerAuth.nonce();
  private final byte[] publisherNonce = PeerAuth.nonce();

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] proof(PeerAuth with, Role role) {
    return with.proof(role, subscriberNonce, publisherNonce, 1, 2);
  }

  @Test
  void onlyTheSameSecretGivesTheSameProof() {
    PeerAuth same = new PeerAuth(bytes("0123456789abcdef"));
    PeerAuth other = new PeerAuth(bytes("0123456789abcdeX"));
    assertThat(PeerAuth.matches(proof(auth, Role.PUBLISHER), proof(same, Role.PUBLISHER))).isTrue();
    assertThat(PeerAuth.matches(proof(auth, Role.PUBLISHER), proof(other, Role.PUBLISHER)))
        .isFalse();
  }

  @Test
  void aProofIsBoundToItsRoleNoncesAndIncarnations() {
    byte[] publisher = proof(auth, Role.PUBLISHER);
    assertThat(PeerAuth.matches(publisher, proof(auth, Role.SUBSCRIBER))).isFalse();
    assertThat(
            PeerAuth.matches(
                publisher, auth.proof(Role.PUBLISHER, publisherNonce, subscriberNonce, 1, 2)))
        .isFalse();
    assertThat(
            PeerAuth.matches(
                publisher, auth.proof(Role.PUBLISHER, subscriberNonce, publisherNonce, 1, 3)))
        .isFalse();
    assertThat(PeerAuth.nonce()).isNotEqualTo(PeerAuth.nonce());
  }

  @Test
  void aShortSecretIsRefused() {
    assertThatThrownBy(() -> new PeerAuth(bytes("short")))
        .hasMessageContaining("at least 16 bytes");
  }
}
