package dev.limpet.contract;

import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks one DataScript: it has an event, the pools it names exist under distinct aliases, and each
 * event's source compiles and uses only what Limpet offers.
 */
final class DataScriptValidator {
  private final ConfigProblems problems;
  private final Set<String> pools;
  private final DataScriptObjectsValidator objects;

  /**
   * @param pools the pools' names
   */
  DataScriptValidator(ConfigProblems problems, Set<String> pools) {
    this.problems = problems;
    this.pools = pools;
    this.objects = new DataScriptObjectsValidator(problems);
  }

  void check(String path, DataScriptConfig s) {
    var e = s.events();
    if (e.httpRequest() == null && e.httpResponse() == null && e.httpResponseFailed() == null)
      problems.add(
          path + ".events", "needs at least one of httpRequest, httpResponse, httpResponseFailed");
    Set<String> aliases = new HashSet<>();
    for (int i = 0; i < s.pools().size(); i++) {
      var ref = s.pools().get(i);
      if (ref.pool() == null || !pools.contains(ref.pool()))
        problems.add(path + ".pools[" + i + "].pool", "no pool named '" + ref.pool() + "'");
      if (ref.scriptName() != null && !aliases.add(ref.scriptName()))
        problems.add(
            path + ".pools[" + i + "].scriptName", "'" + ref.scriptName() + "' is used twice");
    }
    objects.check(path, s);
    event(path + ".events.httpRequest", s.name(), "httpRequest", e.httpRequest(), aliases);
    event(path + ".events.httpResponse", s.name(), "httpResponse", e.httpResponse(), aliases);
    event(
        path + ".events.httpResponseFailed",
        s.name(),
        "httpResponseFailed",
        e.httpResponseFailed(),
        aliases);
  }

  /**
   * A source that does not compile, names a function Limpet does not offer, or selects a constant
   * pool name it may not use, is refused.
   */
  private void event(String path, String script, String event, String source, Set<String> aliases) {
    if (source == null) return;
    var result = DataScriptCompiler.compile(script, event, source);
    if (result instanceof DataScriptCompiler.SyntaxError error) {
      problems.add(path, error.toString());
      return;
    }
    var prototype = ((DataScriptCompiler.Compiled) result).prototype();
    for (var unavailable : ApiNameScanner.scan(prototype))
      problems.add(path, unavailable.toString());
    for (var literal : PoolLiteralScanner.scan(prototype)) {
      if (!aliases.contains(literal.pool()))
        problems.add(
            path,
            "line "
                + literal.line()
                + ": avi.pool.select names pool '"
                + literal.pool()
                + "', which is not in this DataScript's pools "
                + new TreeSet<>(aliases));
    }
  }
}
