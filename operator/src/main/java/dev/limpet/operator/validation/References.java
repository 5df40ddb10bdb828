package dev.limpet.operator.validation;

import dev.limpet.contract.PersistenceProfileConfig;
import dev.limpet.contract.PersistenceProfileConfig.Type;
import dev.limpet.contract.ServerConfig;
import dev.limpet.operator.api.DataScript;
import dev.limpet.operator.api.PersistenceProfile;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.api.PoolSpec;
import dev.limpet.operator.api.VirtualService;
import dev.limpet.operator.index.Indexes;
import dev.limpet.operator.index.NamespaceView;
import dev.limpet.operator.render.EndpointServers;
import dev.limpet.operator.render.ResourceRenderer;
import dev.limpet.operator.status.ReferenceCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Resolves each kind's references against a {@link NamespaceView}. A reference is missing when no
 * object has that name, and not ready when the object exists but cannot be used (its own spec is
 * invalid, its own references do not resolve, or its script does not compile).
 */
public final class References {
  private References() {}

  /**
   * What one judgement of a group resolved already: each Pool and DataScript is resolved (and each
   * script compiled) once, however many VirtualServices of the group use it; with a {@link
   * JudgementCache} kept from earlier judgements, only what changed since is resolved again. One
   * per judgement, since the caches change between two; not thread-safe.
   */
  public static final class Memo {
    private final JudgementCache cache;

    /** A judgement on its own. */
    public Memo() {
      this(new JudgementCache());
    }

    /** A judgement that reuses what earlier ones kept in {@code cache} while it still holds. */
    public Memo(JudgementCache cache) {
      this.cache = cache;
      cache.newRound();
    }

    /**
     * Ends the judgement: what it did not use is dropped from the cache ({@link
     * JudgementCache#sweep}).
     */
    public void end() {
      cache.sweep();
    }

    /** {@link References#pool} of {@code pool}, resolved once. */
    public PoolResolution pool(Pool pool, NamespaceView view) {
      return cache.get(
          "Pool/" + pool.getMetadata().getName(), pool, view, v -> References.pool(pool, v));
    }

    /** {@code compute} of {@code subject} under {@code key}, computed once (see {@link #cache}). */
    <V> V remember(
        String key, Object subject, NamespaceView view, Function<NamespaceView, V> compute) {
      return cache.get(key, subject, view, compute);
    }
  }

  public static PoolResolution pool(Pool pool, NamespaceView view) {
    PoolSpec s = pool.getSpec();
    List<String> missing = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    PersistenceProfileConfig profile = null;
    if (s != null && s.persistenceProfile() != null) {
      Optional<PersistenceProfile> found = view.profile(s.persistenceProfile());
      if (found.isEmpty()) missing.add("PersistenceProfile '" + s.persistenceProfile() + "'");
      else if (!SpecValidator.profile(found.get()).isEmpty())
        notReady.add("PersistenceProfile '" + s.persistenceProfile() + "' is not valid");
      else profile = ResourceRenderer.profile(found.get());
    }
    List<ServerConfig> endpointServers = List.of();
    if (s != null && s.service() != null && s.service().name() != null) {
      var service = view.service(s.service().name());
      if (service.isEmpty()) missing.add("Service '" + s.service().name() + "'");
      else if (s.service().port() != null) {
        var resolution =
            EndpointServers.resolve(
                s.service(),
                service.get(),
                view.endpointSlices(s.service().name()),
                view::podLabels);
        resolution.problem().ifPresent(notReady::add);
        endpointServers = resolution.servers();
      }
    }
    List<String> problems = SpecValidator.pool(pool, profile, endpointServers);
    int listedTotal = s == null || s.servers() == null ? 0 : s.servers().size();
    int listedUp =
        s == null || s.servers() == null
            ? 0
            : (int) s.servers().stream().filter(v -> !Boolean.FALSE.equals(v.enabled())).count();
    int endpointUp = (int) endpointServers.stream().filter(v -> !v.draining()).count();
    return new PoolResolution(
        problems,
        new ReferenceCheck(missing, notReady),
        endpointServers,
        listedUp + endpointUp,
        listedTotal + endpointServers.size());
  }

  /**
   * Whether every Pool a DataScript names exists (their usability shows on the Pools) and every
   * crypto key's Secret holds a usable key.
   */
  public static ReferenceCheck dataScript(DataScript script, NamespaceView view) {
    List<String> missing = new ArrayList<>();
    if (script.getSpec() != null && script.getSpec().pools() != null) {
      for (var ref : script.getSpec().pools()) {
        if (ref.pool() != null && view.pool(ref.pool()).isEmpty())
          missing.add("Pool '" + ref.pool() + "'");
      }
    }
    var keys = CryptoKeyResolution.of(script, null, view);
    missing.addAll(keys.missing());
    return new ReferenceCheck(missing, keys.notReady());
  }

  /** Why a DataScript cannot be used (invalid, not compiled, a Pool missing or unusable). */
  public static Optional<String> scriptUnusable(
      DataScript script, NamespaceView view, ScriptCompiler compiler) {
    return scriptUnusable(script, view, compiler, new Memo());
  }

  private static Optional<String> scriptUnusable(
      DataScript script, NamespaceView view, ScriptCompiler compiler, Memo memo) {
    return memo.remember(
        "DataScript/" + script.getMetadata().getName(),
        Arrays.asList(script, compiler),
        view,
        v -> whyUnusable(script, v, compiler, memo));
  }

  private static Optional<String> whyUnusable(
      DataScript script, NamespaceView view, ScriptCompiler compiler, Memo memo) {
    if (!SpecValidator.script(script).isEmpty()) return Optional.of("is not valid");
    var error = compiler.firstError(ResourceRenderer.script(script));
    if (error.isPresent()) return Optional.of("does not compile: " + error.get());
    List<String> missing = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    for (var ref : Optional.ofNullable(script.getSpec().pools()).orElse(List.of())) {
      if (ref.pool() != null) checkPool(ref.pool(), view, memo, missing, notReady);
    }
    if (!missing.isEmpty())
      return Optional.of("names " + String.join(", ", missing) + ", not found");
    if (!notReady.isEmpty()) return Optional.of("uses " + String.join("; ", notReady));
    return Optional.empty();
  }

  public static ReferenceCheck virtualService(
      VirtualService vs, NamespaceView view, ScriptCompiler compiler) {
    return virtualService(vs, view, compiler, new Memo());
  }

  /**
   * Like {@link #virtualService(VirtualService, NamespaceView, ScriptCompiler)}, within a
   * judgement.
   */
  public static ReferenceCheck virtualService(
      VirtualService vs, NamespaceView view, ScriptCompiler compiler, Memo memo) {
    List<String> missing = new ArrayList<>();
    List<String> notReady = new ArrayList<>();
    var s = vs.getSpec();
    boolean tls = s != null && s.tls() != null;
    if (s != null && s.pool() != null) {
      checkPool(s.pool(), view, memo, missing, notReady);
      if (!tls) needsTls(s.pool(), view).ifPresent(notReady::add);
    }
    if (s != null && s.dataScripts() != null) {
      for (String name : s.dataScripts()) {
        Optional<DataScript> script = view.dataScript(name);
        if (script.isEmpty()) missing.add("DataScript '" + name + "'");
        else {
          scriptUnusable(script.get(), view, compiler, memo)
              .ifPresent(why -> notReady.add("DataScript '" + name + "' " + why));
          var keys = CryptoKeyResolution.of(script.get(), Indexes.group(vs), view);
          if (!keys.complete())
            notReady.add(
                "DataScript '"
                    + name
                    + "' has crypto keys without bytes: "
                    + String.join("; ", keys.missing())
                    + (keys.missing().isEmpty() || keys.notReady().isEmpty() ? "" : "; ")
                    + String.join("; ", keys.notReady()));
          if (!tls)
            for (var ref : Optional.ofNullable(script.get().getSpec().pools()).orElse(List.of()))
              if (ref.pool() != null) needsTls(ref.pool(), view).ifPresent(notReady::add);
        }
      }
    }
    return new ReferenceCheck(missing, notReady);
  }

  /**
   * Why a VirtualService without TLS cannot use the Pool {@code name}: its persistence profile is
   * of type TLS (there would be no TLS session to pin).
   */
  private static Optional<String> needsTls(String name, NamespaceView view) {
    return view.pool(name)
        .map(pool -> pool.getSpec() == null ? null : pool.getSpec().persistenceProfile())
        .flatMap(view::profile)
        .filter(p -> p.getSpec() != null && p.getSpec().type() == Type.TLS)
        .map(
            p ->
                "Pool '"
                    + name
                    + "' uses the TLS persistence profile '"
                    + p.getMetadata().getName()
                    + "', which needs TLS on this VirtualService");
  }

  private static void checkPool(
      String name, NamespaceView view, Memo memo, List<String> missing, List<String> notReady) {
    Optional<Pool> pool = view.pool(name);
    if (pool.isEmpty()) {
      missing.add("Pool '" + name + "'");
      return;
    }
    PoolResolution resolution = memo.pool(pool.get(), view);
    if (!resolution.problems().isEmpty())
      notReady.add("Pool '" + name + "' is not valid: " + String.join("; ", resolution.problems()));
    else if (!resolution.references().resolved())
      notReady.add("Pool '" + name + "' has unresolved references");
  }
}
