package dev.limpet.operator.validation;

import dev.limpet.contract.ServerConfig;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.index.Indexes;
import dev.limpet.operator.index.NamespaceView;
import dev.limpet.operator.render.GroupInput;
import dev.limpet.operator.render.ServedCertificate;
import dev.limpet.operator.status.ReferenceCheck;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Judges every VirtualService of one data-plane group and gathers what the admitted ones use. The
 * status of each VirtualService and the group's configuration both come from here, so they never
 * disagree.
 */
public final class GroupAdmission {
  private GroupAdmission() {}

  /** A verdict per VirtualService name, in the order given. */
  public static Map<String, VirtualServiceVerdict> judge(
      List<VirtualService> members, NamespaceView view, ScriptCompiler compiler, Instant now) {
    return judge(members, view, compiler, now, new References.Memo());
  }

  /** What one VirtualService's spec and references say, apart from the rest of its group. */
  private record Alone(List<String> problems, ReferenceCheck references) {}

  /**
   * A verdict per VirtualService name, in the order given; each Pool and DataScript resolved once
   * into {@code memo}, which {@link #input} then reuses. What each member is alone (its spec
   * problems and references) comes from {@code memo}'s cache while its spec and everything it read
   * are the same; port conflicts and certificates (which expire) are judged every time.
   */
  public static Map<String, VirtualServiceVerdict> judge(
      List<VirtualService> members,
      NamespaceView view,
      ScriptCompiler compiler,
      Instant now,
      References.Memo memo) {
    Map<String, Alone> alone = new HashMap<>();
    List<VirtualService> valid = new ArrayList<>();
    for (VirtualService vs : members) {
      String name = vs.getMetadata().getName();
      Alone a =
          memo.remember(
              "VirtualService/" + name,
              Arrays.asList(name, vs.getSpec(), compiler),
              view,
              v ->
                  new Alone(
                      SpecValidator.virtualService(vs),
                      References.virtualService(vs, v, compiler, memo)));
      alone.put(name, a);
      if (a.problems().isEmpty()) valid.add(vs);
    }
    Map<String, VirtualService> byName =
        members.stream()
            .collect(Collectors.toMap(vs -> vs.getMetadata().getName(), vs -> vs, (a, b) -> a));
    Map<String, String> losers = ListenerConflicts.losers(valid);
    Map<String, VirtualServiceVerdict> verdicts = new LinkedHashMap<>();
    for (VirtualService vs : members) {
      String name = vs.getMetadata().getName();
      Optional<String> conflict =
          Optional.ofNullable(losers.get(name))
              .map(winner -> ListenerConflicts.message(vs, byName.get(winner)));
      verdicts.put(
          name,
          new VirtualServiceVerdict(
              alone.get(name).problems(),
              conflict,
              alone.get(name).references(),
              vs.getSpec() == null
                  ? CertificateResolution.NONE
                  : CertificateResolution.of(vs.getSpec().tls(), Indexes.group(vs), view, now)));
    }
    return verdicts;
  }

  /** What the admitted virtual services render from, their certificates as judged. */
  public static GroupInput input(
      List<VirtualService> admitted,
      Map<String, VirtualServiceVerdict> verdicts,
      NamespaceView view) {
    return input(admitted, verdicts, view, new References.Memo());
  }

  /** Like {@link #input(List, Map, NamespaceView)}, with the Pools {@link #judge} resolved. */
  public static GroupInput input(
      List<VirtualService> admitted,
      Map<String, VirtualServiceVerdict> verdicts,
      NamespaceView view,
      References.Memo memo) {
    Map<String, Pool> pools = new HashMap<>();
    Map<String, DataScript> scripts = new HashMap<>();
    for (VirtualService vs : admitted) {
      addPool(vs.getSpec().pool(), view, pools);
      for (String name : Optional.ofNullable(vs.getSpec().dataScripts()).orElse(List.of())) {
        view.dataScript(name)
            .ifPresent(
                script -> {
                  scripts.put(name, script);
                  Optional.ofNullable(script.getSpec().pools())
                      .orElse(List.of())
                      .forEach(ref -> addPool(ref.pool(), view, pools));
                });
      }
    }
    Map<String, PersistenceProfile> profiles = new HashMap<>();
    Map<String, List<ServerConfig>> servers = new HashMap<>();
    for (Pool pool : pools.values()) {
      String profile = pool.getSpec().persistenceProfile();
      if (profile != null) view.profile(profile).ifPresent(p -> profiles.put(profile, p));
      servers.put(pool.getMetadata().getName(), memo.pool(pool, view).endpointServers());
    }
    Map<String, List<ServedCertificate>> certificates = new HashMap<>();
    for (VirtualService vs : admitted)
      certificates.put(
          vs.getMetadata().getName(),
          verdicts.get(vs.getMetadata().getName()).certificates().served());
    Map<String, Map<String, byte[]>> cryptoKeys = new HashMap<>();
    String group = admitted.isEmpty() ? null : Indexes.group(admitted.get(0));
    scripts.forEach(
        (name, script) -> {
          var keys = CryptoKeyResolution.of(script, group, view).keys();
          if (!keys.isEmpty()) cryptoKeys.put(name, keys);
        });
    return new GroupInput(admitted, pools, profiles, scripts, servers, certificates, cryptoKeys);
  }

  private static void addPool(String name, NamespaceView view, Map<String, Pool> pools) {
    if (name != null) view.pool(name).ifPresent(p -> pools.put(name, p));
  }
}
