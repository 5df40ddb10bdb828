package dev.limpet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The pattern the CRD puts on every address block of clientAddress: the API server refuses what is
 * plainly not a block; what only looks like one (a prefix too long) is left to the operator.
 */
class ClientAddressSchemaTest {
  private static final Pattern CIDR = Pattern.compile(VirtualServiceSpec.CIDR);

  @Test
  void blocksAndBareAddressesOfBothFamiliesMatch() {
    for (String ok :
        new String[] {"10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1", "::ffff:10.0.0.1/128"})
      assertThat(CIDR.matcher(ok).find()).as(ok).isTrue();
  }

  @Test
  void namesRangesAndJunkDoNotMatch() {
    for (String bad :
        new String[] {"lb.example.com", "10.0.0.0/8 ", "10.0.0.0-10.0.0.9", "", "10.0.0/8", "*"})
      assertThat(CIDR.matcher(bad).find()).as(bad).isFalse();
  }
}
