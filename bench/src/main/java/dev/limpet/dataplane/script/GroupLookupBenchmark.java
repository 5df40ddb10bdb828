package dev.limpet.dataplane.script;

import dev.limpet.contract.DataScriptConfig;
import dev.limpet.contract.DataScriptConfig.Events;
import dev.limpet.contract.DataScriptConfig.IpGroup;
import dev.limpet.contract.DataScriptConfig.PoolRef;
import dev.limpet.contract.DataScriptConfig.StringGroup;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@code avi.ipgroup.contains} and {@code avi.stringgroup.equals/beginswith} on groups of 10, 1,000
 * and 10,000 entries: the lookup alone ({@code index*}) and a whole HTTP_REQ run of a one-line
 * DataScript that calls it ({@code script*}). Constant or logarithmic time shows as a flat (or
 * slowly growing) line across the sizes.
 *
 * <p>The CIDRs are /24 blocks with a gap between any two, so none merge and the binary search runs
 * over {@code size} ranges. The strings are paths {@code /section-<i>/}. Half of the probes hit,
 * half miss; 1,024 probes rotate.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class GroupLookupBenchmark {
  private static final int PROBES = 1_024;

  @Param({"10", "1000", "10000"})
  public int size;

  private final BenchFixture fixture = new BenchFixture();
  private IpRanges ipGroup;
  private StringGroupIndex stringGroup;
  private final InetAddress[] addresses = new InetAddress[PROBES];
  private final String[] ips = new String[PROBES];
  private final String[] strings = new String[PROBES];
  private final String[] paths = new String[PROBES];
  private VirtualServiceScripts ipScript;
  private VirtualServiceScripts equalsScript;
  private VirtualServiceScripts beginsScript;
  private int next;

  @Setup
  public void setUp() throws UnknownHostException {
    List<String> blocks = new ArrayList<>(size);
    List<String> sections = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      blocks.add(block(i));
      sections.add("/section-" + i + "/");
    }
    IpGroup ips = new IpGroup("blocked", blocks);
    StringGroup paths = new StringGroup("sections", sections, null);
    ipGroup = IpRanges.of(ips.addresses());
    stringGroup = new StringGroupIndex(paths);
    for (int p = 0; p < PROBES; p++) {
      int i = (p * 7919) % size; // spread over the whole group
      boolean hit = p % 2 == 0;
      int k = 2 * i + (hit ? 0 : 1); // the odd /24s are the gaps
      this.ips[p] = "10." + (k / 256) + "." + (k % 256) + "." + (p % 250 + 1);
      addresses[p] = InetAddress.getByName(this.ips[p]);
      strings[p] = hit ? "/section-" + i + "/" : "/elsewhere-" + i + "/";
      this.paths[p] = strings[p] + "item/" + p;
    }
    checkHalfHit();
    ipScript =
        scripts(
            "avi.ipgroup.contains(\"blocked\", avi.http.get_header(\"True-Client-IP\"))",
            ips,
            paths);
    equalsScript = scripts("avi.stringgroup.equals(\"sections\", avi.http.get_path())", ips, paths);
    beginsScript =
        scripts("avi.stringgroup.beginswith(\"sections\", avi.http.get_path())", ips, paths);
  }

  /** A benchmark of misses only (a wrong probe) would read as a fast lookup. */
  private void checkHalfHit() {
    int ipHits = 0;
    int equalHits = 0;
    int prefixHits = 0;
    for (int p = 0; p < PROBES; p++) {
      if (ipGroup.contains(addresses[p])) ipHits++;
      if (stringGroup.equalTo(strings[p], false).found()) equalHits++;
      if (stringGroup.prefixOf(paths[p], false).found()) prefixHits++;
    }
    if (ipHits != PROBES / 2 || equalHits != PROBES / 2 || prefixHits != PROBES / 2)
      throw new IllegalStateException(
          "probes should hit half the time: " + ipHits + ", " + equalHits + ", " + prefixHits);
  }

  private static String block(int i) {
    int k = 2 * i;
    return "10." + (k / 256) + "." + (k % 256) + ".0/24";
  }

  private VirtualServiceScripts scripts(String request, IpGroup ips, StringGroup paths) {
    return fixture.scripts(
        CompiledDataScript.compile(
            new DataScriptConfig(
                "lookup",
                new Events(request, null, null),
                List.of(new PoolRef("primary-pool", "primary_pool")),
                List.of(ips),
                List.of(paths))),
        ScriptLimits.DEFAULT);
  }

  private int probe() {
    return next++ & (PROBES - 1);
  }

  @Benchmark
  public boolean indexIpgroupContains() {
    return ipGroup.contains(addresses[probe()]);
  }

  @Benchmark
  public StringGroupIndex.Match indexStringgroupEquals() {
    return stringGroup.equalTo(strings[probe()], false);
  }

  @Benchmark
  public StringGroupIndex.Match indexStringgroupBeginswith() {
    return stringGroup.prefixOf(paths[probe()], false);
  }

  @Benchmark
  public ScriptResult scriptIpgroupContains() {
    int p = probe();
    return run(ipScript, ips[p], "/");
  }

  @Benchmark
  public ScriptResult scriptStringgroupEquals() {
    int p = probe();
    return run(equalsScript, ips[p], strings[p]);
  }

  @Benchmark
  public ScriptResult scriptStringgroupBeginswith() {
    int p = probe();
    return run(beginsScript, ips[p], paths[p]);
  }

  private static ScriptResult run(VirtualServiceScripts scripts, String client, String uri) {
    return scripts.run(
        ScriptEvent.HTTP_REQ, new ScriptTransaction(), new BenchFixture.Exchange(client, uri));
  }
}
