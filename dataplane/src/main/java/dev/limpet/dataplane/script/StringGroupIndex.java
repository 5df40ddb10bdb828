package dev.limpet.dataplane.script;

import dev.limpet.contract.DataScriptConfig.StringGroup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * A string group indexed for Avi's matches: hash maps of its entries (as written, and lower-cased
 * for the case-insensitive default) and the distinct entry lengths. {@code equals} is one lookup;
 * {@code beginswith}/{@code endswith} look up the prefix or suffix of each entry length, shortest
 * first (Avi returns the shortest match), so they cost O(distinct lengths) lookups whatever the
 * group's size; {@code contains} is one pass of an Aho–Corasick automaton over the subject.
 * Immutable; built once per configuration.
 */
final class StringGroupIndex {
  /** Whether a match was found and, for a key/value group, the value of the matched key. */
  record Match(boolean found, String value) {
    static final Match NONE = new Match(false, null);
  }

  private final boolean keyValue;
  private final Map<String, String> exact = new HashMap<>();
  private final Map<String, String> folded = new HashMap<>();
  private final int[] lengths;
  private final List<String> keys = new ArrayList<>();
  private final SubstringAutomaton exactInside;
  private final SubstringAutomaton foldedInside;

  StringGroupIndex(StringGroup group) {
    keyValue = !group.map().isEmpty();
    Map<String, String> entries = new HashMap<>(group.map());
    for (String s : group.strings()) entries.put(s, null);
    TreeSet<Integer> distinct = new TreeSet<>();
    entries.forEach(
        (key, value) -> {
          exact.put(key, value);
          folded.putIfAbsent(fold(key), value);
          distinct.add(key.length());
          distinct.add(fold(key).length()); // lower-casing may change a length
        });
    lengths = distinct.stream().mapToInt(Integer::intValue).toArray();
    keys.addAll(entries.keySet());
    exactInside = new SubstringAutomaton(keys);
    foldedInside = new SubstringAutomaton(keys.stream().map(StringGroupIndex::fold).toList());
  }

  boolean keyValue() {
    return keyValue;
  }

  Match equalTo(String s, boolean caseSensitive) {
    return lookup(caseSensitive ? s : fold(s), caseSensitive);
  }

  Match prefixOf(String s, boolean caseSensitive) {
    String subject = caseSensitive ? s : fold(s);
    for (int length : lengths) {
      if (length > subject.length()) break;
      Match m = lookup(subject.substring(0, length), caseSensitive);
      if (m.found()) return m;
    }
    return Match.NONE;
  }

  Match suffixOf(String s, boolean caseSensitive) {
    String subject = caseSensitive ? s : fold(s);
    for (int length : lengths) {
      if (length > subject.length()) break;
      Match m = lookup(subject.substring(subject.length() - length), caseSensitive);
      if (m.found()) return m;
    }
    return Match.NONE;
  }

  /**
   * {@code contains}: the entry found first in {@code s} (ending earliest, then shortest). One pass
   * of an Aho–Corasick automaton over {@code s}, whatever the group's size.
   */
  Match insideOf(String s, boolean caseSensitive) {
    int found = caseSensitive ? exactInside.find(s) : foldedInside.find(fold(s));
    if (found < 0) return Match.NONE;
    String key = keys.get(found);
    return new Match(true, exact.get(key));
  }

  private Match lookup(String key, boolean caseSensitive) {
    Map<String, String> map = caseSensitive ? exact : folded;
    return map.containsKey(key) ? new Match(true, map.get(key)) : Match.NONE;
  }

  private static String fold(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
