package dev.limpet.dataplane.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The secret inside a ticket and the TLS 1.3 ticket keys (whose derivation the TLS tests check
 * against BoringSSL's tickets end to end).
 */
class ResumptionSecretsTest {
  @Test
  void theSecretIsTheFifthFieldOfTheSession() {
    byte[] der =
        HexFormat.of()
            .parseHex(
                "3015" // SEQUENCE, 21 bytes
                    + "020101" // version
                    + "02020304" // TLS 1.3
                    + "04021301" // cipher
                    + "0400" // no session ID
                    + "0404cafebabe" // the secret
                    + "a100"); // more fields
    assertThat(ResumptionSecrets.fromTicketContent(der)).containsExactly(0xca, 0xfe, 0xba, 0xbe);
    assertThat(ResumptionSecrets.fromTicketContent(HexFormat.of().parseHex("3005020101"))).isNull();
    assertThat(ResumptionSecrets.fromTicketContent(new byte[0])).isNull();
  }

  @Test
  void eachTicketHasItsOwnKeyOfTheSuitesHashLength() {
    byte[] secret256 = new byte[32];
    byte[] secret384 = new byte[48];
    byte[] first = ResumptionSecrets.tls13TicketKey(secret256, "TLS_AES_128_GCM_SHA256", 0);
    byte[] second = ResumptionSecrets.tls13TicketKey(secret256, "TLS_AES_128_GCM_SHA256", 1);
    assertThat(first).hasSize(32).isNotEqualTo(second);
    assertThat(ResumptionSecrets.tls13TicketKey(secret384, "TLS_AES_256_GCM_SHA384", 0))
        .hasSize(48);
  }
}
