package dev.limpet.operator.reconciler;

import dev.limpet.operator.validation.JudgementCache;
import dev.limpet.operator.validation.References;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each group's last renders judged, by group key ({@link JudgementCache}); each group's cache
 * is used only by the thread that renders it. A group that has no members left keeps no cache.
 */
final class GroupJudgements {
  private final Map<String, JudgementCache> caches = new ConcurrentHashMap<>();

  /**
   * The judgement of a render of {@code key} with {@code members} live members; end it with {@link
   * References.Memo#end} once the render has judged and built its input. A group without members
   * drops its cache and judges on its own.
   */
  References.Memo begin(String key, int members) {
    if (members == 0) {
      caches.remove(key);
      return new References.Memo();
    }
    return new References.Memo(caches.computeIfAbsent(key, k -> new JudgementCache()));
  }

  /** The cache kept for {@code key}, if any. */
  JudgementCache cache(String key) {
    return caches.get(key);
  }
}
