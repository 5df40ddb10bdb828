package dev.limpet.dataplane.script;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Makes an {@code avi.pool.select} that did not go where the script said visible: every case is
 * counted by reason, and a case where the pool balanced instead is logged as a WARN at most once
 * per script line and reason every {@link #WARN_INTERVAL_MILLIS} (a stale pin hit by every request
 * must not flood the log). An ignored port is logged at DEBUG only: Avi's own persistence idiom
 * passes one on every request.
 */
final class SelectionReport {
  private static final Logger LOG = LoggerFactory.getLogger(SelectionReport.class);
  static final long WARN_INTERVAL_MILLIS = 600_000;

  /** Bounds the memory of a long-running process whose scripts change often. */
  private static final int MAX_REMEMBERED = 10_000;

  private static final Map<String, Long> lastWarned = new ConcurrentHashMap<>();

  private SelectionReport() {}

  static void report(
      ScriptRun run, String pool, String server, Double port, SelectionFallback why) {
    String vs = run.virtualService.name();
    String script = run.script.name();
    int line = run.line();
    run.virtualService.metrics().selectionFallback(vs, script, pool, why);
    Level level =
        why.balanced() && firstInInterval(vs + '/' + script + '/' + line + '/' + why)
            ? Level.WARN
            : Level.DEBUG;
    if (!LOG.isEnabledForLevel(level)) return;
    LOG.atLevel(level)
        .addKeyValue("virtualService", vs)
        .addKeyValue("dataScript", script)
        .addKeyValue("event", run.event.name())
        .addKeyValue("line", line)
        .addKeyValue("pool", pool)
        .addKeyValue("reason", why.tag())
        .log(
            "{} line {}: avi.pool.select: server {}{} {}{}",
            script,
            line,
            server,
            port == null ? "" : " port " + Args.number(port),
            why.words(),
            why.balanced()
                ? "; the request was balanced in pool " + pool + " (logged once per 10 minutes)"
                : "");
  }

  private static boolean firstInInterval(String key) {
    long now = System.currentTimeMillis();
    if (lastWarned.size() > MAX_REMEMBERED) lastWarned.clear();
    Long previous = lastWarned.get(key);
    if (previous != null && now - previous < WARN_INTERVAL_MILLIS) return false;
    // two threads may both log once here; that is harmless
    lastWarned.put(key, now);
    return true;
  }
}
