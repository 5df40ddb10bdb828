package dev.limpet.dataplane.script;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An Aho–Corasick automaton over a fixed list of strings: finds which of them occurs in a subject
 * in one pass over the subject, whatever the number of strings ({@code avi.stringgroup.contains}
 * over a group of 10,000 entries). Immutable once built; edges are held as sorted arrays per state
 * (a binary search per step) so a large group costs a few bytes per trie node, not a map entry.
 */
final class SubstringAutomaton {
  private static final int ROOT = 0;

  private final int[] edgeStart; // per state: its first edge in edgeChar/edgeTarget
  private final char[] edgeChar;
  private final int[] edgeTarget;
  private final int[] fail;
  private final int[] match; // per state: the shortest entry ending here (via fail links), or -1

  /** Builds the automaton of {@code entries}; entry {@code i} is reported as {@code i}. */
  SubstringAutomaton(List<String> entries) {
    Map<Long, Integer> goTo = new HashMap<>();
    int[] own = new int[16];
    Arrays.fill(own, -1);
    int states = 1;
    for (int i = 0; i < entries.size(); i++) {
      String s = entries.get(i);
      int state = ROOT;
      for (int k = 0; k < s.length(); k++) {
        long key = edgeKey(state, s.charAt(k));
        Integer next = goTo.get(key);
        if (next == null) {
          if (states == own.length) {
            own = Arrays.copyOf(own, states * 2);
            Arrays.fill(own, states, own.length, -1);
          }
          next = states++;
          goTo.put(key, next);
        }
        state = next;
      }
      if (own[state] < 0) own[state] = i; // the first of equal entries wins
    }
    int[] count = new int[states + 1];
    goTo.keySet().forEach(key -> count[(int) (key >>> 16) + 1]++);
    for (int s = 0; s < states; s++) count[s + 1] += count[s];
    edgeStart = count;
    edgeChar = new char[goTo.size()];
    edgeTarget = new int[goTo.size()];
    // Edges of a state in character order: sort the keys (state-major, then character).
    long[] keys = goTo.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
    for (int e = 0; e < keys.length; e++) {
      edgeChar[e] = (char) (keys[e] & 0xFFFF);
      edgeTarget[e] = goTo.get(keys[e]);
    }
    fail = new int[states];
    match = new int[states];
    match[ROOT] = -1;
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    for (int e = edgeStart[ROOT]; e < edgeStart[ROOT + 1]; e++) {
      fail[edgeTarget[e]] = ROOT;
      match[edgeTarget[e]] = own[edgeTarget[e]];
      queue.add(edgeTarget[e]);
    }
    while (!queue.isEmpty()) {
      int state = queue.poll();
      for (int e = edgeStart[state]; e < edgeStart[state + 1]; e++) {
        int child = edgeTarget[e];
        int f = fail[state];
        int next;
        while ((next = step(f, edgeChar[e])) < 0 && f != ROOT) f = fail[f];
        fail[child] = next < 0 || next == child ? ROOT : next;
        // A match through the fail link is a suffix, hence shorter than this state's own entry.
        match[child] = match[fail[child]] >= 0 ? match[fail[child]] : own[child];
        queue.add(child);
      }
    }
  }

  /**
   * The index of the entry found first in {@code subject} (the one ending earliest; of those, the
   * shortest), or -1. One pass over {@code subject}: each character is one step plus at most as
   * many fail steps as steps taken before it.
   */
  int find(CharSequence subject) {
    int state = ROOT;
    for (int i = 0; i < subject.length(); i++) {
      char c = subject.charAt(i);
      int next;
      while ((next = step(state, c)) < 0 && state != ROOT) state = fail[state];
      state = next < 0 ? ROOT : next;
      if (match[state] >= 0) return match[state];
    }
    return -1;
  }

  private int step(int state, char c) {
    int lo = edgeStart[state];
    int hi = edgeStart[state + 1] - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      char m = edgeChar[mid];
      if (m < c) lo = mid + 1;
      else if (m > c) hi = mid - 1;
      else return edgeTarget[mid];
    }
    return -1;
  }

  private static long edgeKey(int state, char c) {
    return ((long) state << 16) | c;
  }
}
