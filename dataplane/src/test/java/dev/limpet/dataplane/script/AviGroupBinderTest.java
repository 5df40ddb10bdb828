package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.DataScriptConfig.IpGroup;
import dev.limpet.contract.DataScriptConfig.StringGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class AviGroupBinderTest {
  private final ScriptHarness harness = new ScriptHarness();

  private List<String> logs(String source) {
    return harness.logs(source, new FakeExchange("/"));
  }

  @Test
  void ipgroupContainsMatchesBlocksAndBareAddressesOfBothFamilies() {
    harness.ipGroups.add(
        new IpGroup(
            "internal",
            List.of("10.0.0.0/8", "10.1.0.0/16", "192.0.2.7", "2001:db8::/32", "198.51.100.0/25")));
    assertThat(
            logs(
                """
                local g = "internal"
                avi.vs.log(avi.ipgroup.contains(g, "10.200.3.4"), avi.ipgroup.contains(g, "11.0.0.1"))
                avi.vs.log(avi.ipgroup.contains(g, "192.0.2.7"), avi.ipgroup.contains(g, "192.0.2.8"))
                avi.vs.log(avi.ipgroup.contains(g, "2001:db8:ffff::1"), avi.ipgroup.contains(g, "2001:db9::1"))
                avi.vs.log(avi.ipgroup.contains(g, "198.51.100.127"), avi.ipgroup.contains(g, "198.51.100.128"))
                avi.vs.log(avi.ipgroup.contains(g, avi.vs.client_ip())) -- 192.0.2.7
                """))
        .containsExactly("true false", "true false", "true false", "true false", "true");
  }

  @Test
  void anUnknownGroupOrABadAddressIsAnArgumentError() {
    harness.ipGroups.add(new IpGroup("a", List.of("10.0.0.0/8")));
    harness.request("avi.ipgroup.contains('b', '10.0.0.1')");
    harness.request(new FakeExchange("/"));
    assertThat(harness.failure())
        .contains(
            "bad argument #1 to 'avi.ipgroup.contains' (no IP group 'b' in this DataScript [a])");
    var h = new ScriptHarness();
    h.ipGroups.add(new IpGroup("a", List.of("10.0.0.0/8")));
    h.request("avi.ipgroup.contains('a', 'localhost')");
    h.request(new FakeExchange("/"));
    assertThat(h.failure())
        .contains("bad argument #2 to 'avi.ipgroup.contains' (IP address expected");
  }

  @Test
  void tenThousandBlocksAreLookedUpCorrectly() {
    List<String> blocks = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) blocks.add("10." + (i / 256) + "." + (i % 256) + ".0/25");
    IpRanges ranges = IpRanges.of(blocks);
    for (int i = 0; i < 10_000; i += 97) {
      String base = "10." + (i / 256) + "." + (i % 256) + ".";
      assertThat(ranges.contains(address(base + "5"))).as(base).isTrue();
      assertThat(ranges.contains(address(base + "200"))).as(base).isFalse();
    }
    assertThat(ranges.contains(address("11.0.0.1"))).isFalse();
  }

  @Test
  void stringgroupMatchesCaseInsensitivelyByDefaultAndReturnsOnlyTheMatchForAPlainGroup() {
    harness.stringGroups.add(new StringGroup("bots", List.of("curl", "Wget", "python-"), null));
    assertThat(
            logs(
                """
                local sg = avi.stringgroup
                avi.vs.log(sg.equals("bots", "CURL"), sg.equals("bots", "curl/8"), sg.equals_CASE("bots", "wget"))
                avi.vs.log(sg.beginswith("bots", "curl/8.1"), sg.beginswith("bots", "Python-requests"))
                avi.vs.log(sg.beginswith_CASE("bots", "Curl/8"), sg.endswith("bots", "my-WGET"), sg.endswith("bots", "x"))
                avi.vs.log(select('#', sg.equals("bots", "curl")))
                """))
        .containsExactly("true false false", "true true", "false true false", "1");
  }

  @Test
  void aKeyValueGroupReturnsTheValueAndTheMatchAndTheShortestPrefixWins() {
    harness.stringGroups.add(
        new StringGroup("routes", null, Map.of("/a", "short", "/ab", "longer", "/api/", "api")));
    assertThat(
            logs(
                """
                avi.vs.log(avi.stringgroup.beginswith("routes", "/abc"))
                avi.vs.log(avi.stringgroup.beginswith("routes", "/api/v1"))
                avi.vs.log(avi.stringgroup.equals("routes", "/AB"))
                avi.vs.log(avi.stringgroup.equals("routes", "/zzz"))
                """))
        .containsExactly("short true", "short true", "longer true", "nil false");
  }

  @Test
  void tenThousandStringsAreLookedUpCorrectly() {
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) strings.add("agent-" + i + "/");
    var index = new StringGroupIndex(new StringGroup("g", strings, null));
    assertThat(index.equalTo("AGENT-9999/", false).found()).isTrue();
    assertThat(index.prefixOf("agent-4242/1.0", false).found()).isTrue();
    assertThat(index.prefixOf("agent-10000/1.0", false).found()).isFalse();
    assertThat(index.suffixOf("my agent-17/", true).found()).isTrue();
  }

  @Test
  void stringgroupContainsFindsAnEntryAnywhereInTheSubjectCaseInsensitivelyUnlessCase() {
    harness.stringGroups.add(
        new StringGroup("bad", List.of("../", "<script", "Union Select"), null));
    assertThat(
            logs(
                """
                local sg = avi.stringgroup
                avi.vs.log(sg.contains("bad", "/a/../etc/passwd"), sg.contains("bad", "/a/b"))
                avi.vs.log(sg.contains("bad", "x=1 UNION SELECT y"), sg.contains_CASE("bad", "x UNION SELECT"))
                avi.vs.log(sg.contains_CASE("bad", "q=<script>"), sg.contains_CASE("bad", "q=<SCRIPT>"))
                avi.vs.log(select('#', sg.contains("bad", "x")), sg.contains("bad", ""))
                """))
        .containsExactly("true false", "true false", "true false", "1 false");
  }

  @Test
  void stringgroupContainsInAKeyValueGroupReturnsTheValueOfTheFirstEntryFound() {
    harness.stringGroups.add(
        new StringGroup(
            "brands", null, Map.of("acme", "A", "acme-pro", "P", "widget", "W", "get", "G")));
    assertThat(
            logs(
                """
                avi.vs.log(avi.stringgroup.contains("brands", "/shop/ACME-PRO/x"))
                avi.vs.log(avi.stringgroup.contains("brands", "/shop/widgets"))
                avi.vs.log(avi.stringgroup.contains_CASE("brands", "/shop/Widget"))
                avi.vs.log(avi.stringgroup.contains("brands", "/shop/none"))
                """))
        // "acme" ends before "acme-pro"; in "widgets", "get" ends with "widget" and is shorter;
        // with _CASE, "Widget" is not "widget" but holds "get".
        .containsExactly("A true", "G true", "G true", "nil false");
  }

  @Test
  void theAutomatonFindsOverlappingAndNestedEntriesThroughItsFailLinks() {
    var automaton = new SubstringAutomaton(List.of("he", "she", "his", "hers", "abcd", "bc"));
    assertThat(automaton.find("ushers")).isEqualTo(0); // "he" ends with "she" and is shorter
    assertThat(automaton.find("ahishe")).isEqualTo(2);
    assertThat(automaton.find("xabcx")).isEqualTo(5); // "bc" through the fail link of "abc"
    assertThat(automaton.find("hxsxix")).isEqualTo(-1);
    assertThat(automaton.find("")).isEqualTo(-1);
    assertThat(new SubstringAutomaton(List.of()).find("anything")).isEqualTo(-1);
  }

  @Test
  void containsInTenThousandStringsAgreesWithANaiveScan() {
    List<String> strings = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) strings.add("tok" + (i * 7919 % 100_003) + "z");
    var index = new StringGroupIndex(new StringGroup("g", strings, null));
    int found = 0;
    for (int n = 0; n < 300; n++) {
      String subject = "xx/TOK" + (n * 331) + "z/tok" + (n * 17) + "q";
      boolean naive = strings.stream().anyMatch(s -> subject.toLowerCase().contains(s));
      assertThat(index.insideOf(subject, false).found()).as(subject).isEqualTo(naive);
      if (naive) found++;
    }
    assertThat(found).isPositive();
    assertThat(index.insideOf("a tok" + (9999 * 7919 % 100_003) + "z b", true).found()).isTrue();
  }

  private static java.net.InetAddress address(String ip) {
    try {
      return java.net.InetAddress.getByName(ip);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
