package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AviUtilsBinderTest {
  @Test
  void base64RoundTripsTextAndBinaryAndABadInputDecodesToNil() {
    assertThat(
            ScriptHarness.logsOf(
                """
                avi.vs.log(avi.utils.base64_encode("user:pass"), avi.utils.base64_decode("dXNlcjpwYXNz"))
                local bin = string.char(0, 255, 10)
                avi.vs.log(avi.utils.base64_decode(avi.utils.base64_encode(bin)) == bin)
                avi.vs.log(avi.utils.base64_decode("not base64!"), avi.utils.base64_encode(""))
                avi.vs.log(avi.utils.base64_encode(42))
                """))
        .containsExactly("dXNlcjpwYXNz user:pass", "true", "nil ", "NDI=");
  }

  /** Avi's Basic-auth example (DataScript guide, avi.utils.base64_decode), verbatim. */
  @Test
  void avisBasicAuthExampleRunsVerbatim() {
    var h = new ScriptHarness();
    h.script(
        "basic",
        """
        if string.beginswith(avi.http.get_header("Authorization"), "Basic ") then
          auth = string.sub(avi.http.get_header("Authorization"), 7)
          decoded = avi.utils.base64_decode(auth)
          username = string.sub(decoded, 0, string.find(decoded, ":") - 1)
          avi.http.set_userid(username)
        end
        """,
        "avi.vs.log(avi.http.get_userid())",
        null);
    var tx = new ScriptTransaction();
    var exchange = new FakeExchange("/").header("Authorization", "Basic YWxpY2U6c2VjcmV0");
    h.run(ScriptEvent.HTTP_REQ, tx, exchange);
    h.run(ScriptEvent.HTTP_RESP, tx, exchange.respond(200, h.a));
    var anonymous = new ScriptTransaction();
    h.run(ScriptEvent.HTTP_REQ, anonymous, new FakeExchange("/"));
    assertThat(h.failures).isEmpty();
    assertThat(tx.userId()).isEqualTo("alice");
    assertThat(anonymous.userId()).isNull();
    assertThat(ScriptHarness.logged(exchange)).containsExactly("alice");
  }

  @Test
  void hashesAreLowerCaseHex() {
    assertThat(
            ScriptHarness.logsOf(
                "avi.vs.log(avi.utils.md5_hash('abc'), avi.utils.sha1_hash('abc'))"))
        .containsExactly(
            "900150983cd24fb0d6963f7d28e17f72 a9993e364706816aba3e25717850c26c9cd0d89d");
  }

  @Test
  void randBytesGivesThatManyBytesWithinItsBound() {
    assertThat(
            ScriptHarness.logsOf(
                "local a, b = avi.utils.rand_bytes(16), avi.utils.rand_bytes(16)\navi.vs.log(#a, a ~= b)"))
        .containsExactly("16 true");
    assertThat(ScriptHarness.failureOf("avi.utils.rand_bytes(0)"))
        .contains("bad argument #1 to 'avi.utils.rand_bytes'");
    assertThat(ScriptHarness.failureOf("avi.utils.rand_bytes(1025)")).contains("must be 1..1024");
  }

  @Test
  void ipInSubnetTakesACidrABareAddressOrAnArrayOfThem() {
    assertThat(
            ScriptHarness.logsOf(
                """
                local u = avi.utils
                avi.vs.log(u.ip_in_subnet("10.1.2.3", "10.0.0.0/8"), u.ip_in_subnet("11.1.2.3", "10.0.0.0/8"))
                avi.vs.log(u.ip_in_subnet("192.0.2.7", "192.0.2.7"), u.ip_in_subnet("2001:db8::1", "2001:db8::/32"))
                avi.vs.log(u.ip_in_subnet("10.1.2.3", {"192.168.0.0/16", "10.1.0.0/16"}), u.ip_in_subnet("8.8.8.8", {}))
                avi.vs.log(u.ip_in_subnet("2001:db8::1", "10.0.0.0/8"))
                """))
        .containsExactly("true false", "true true", "true false", "false");
    assertThat(ScriptHarness.failureOf("avi.utils.ip_in_subnet('example.com', '10.0.0.0/8')"))
        .contains("bad argument #1 to 'avi.utils.ip_in_subnet' (IP address expected");
    assertThat(ScriptHarness.failureOf("avi.utils.ip_in_subnet('10.0.0.1', '10.0.0.0/40')"))
        .contains("bad argument #2 to 'avi.utils.ip_in_subnet' (prefix length");
  }

  @Test
  void netaddrTakesAPrefixLengthOrADottedMask() {
    assertThat(
            ScriptHarness.logsOf(
                """
                avi.vs.log(avi.utils.ip.netaddr("10.1.2.3", 16), avi.utils.ip.netaddr("10.1.2.3", "24"))
                avi.vs.log(avi.utils.ip.netaddr("10.1.2.3", "255.255.255.0"), avi.utils.ip.netaddr("2001:db8::1", 32))
                """))
        .containsExactly("10.1.0.0 10.1.2.0", "10.1.2.0 2001:db8:0:0:0:0:0:0");
    assertThat(ScriptHarness.failureOf("avi.utils.ip.netaddr('10.1.2.3', '255.0.255.0')"))
        .contains("is not a contiguous mask");
    assertThat(ScriptHarness.failureOf("avi.utils.ip.netaddr('10.1.2.3', 33)"))
        .contains("must be 0..32");
  }

  @Test
  void murmurHashIsMurmurHash3X86With32BitsSeedZeroAsANonNegativeInteger() {
    // Reference values of MurmurHash3_x86_32 with seed 0.
    assertThat(
            ScriptHarness.logsOf(
                """
                avi.vs.log(avi.utils.murmur_hash(""), avi.utils.murmur_hash("hello"))
                avi.vs.log(avi.utils.murmur_hash("The quick brown fox jumps over the lazy dog"))
                avi.vs.log(avi.utils.murmur_hash(string.char(255, 0, 1)) >= 0)
                """))
        .containsExactly("0 613153351", "776992547", "true");
  }
}
