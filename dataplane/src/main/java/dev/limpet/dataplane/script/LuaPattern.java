package dev.limpet.dataplane.script;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * Lua 5.2's pattern matcher ({@code lstrlib.c}: {@code match}, {@code classEnd}, {@code
 * singlematch}, ...) over one subject and one pattern, written again because LuaJ's never returns
 * to the interpreter: a backtracking pattern such as {@code ".-.-.-.-.-b"} ran for hours with no
 * hook to stop it. Every step here is charged to the run's {@link RunLimiter}, so the instruction
 * budget and the wall-clock limit end it like any other loop. Recursion is bounded by Lua's own
 * {@code MAXCCALLS} ("pattern too complex"), so no pattern can overflow the Java stack.
 */
final class LuaPattern {
  private static final int MAX_CALLS = 200;
  private static final int MAX_CAPTURES = 32;
  private static final int CAP_UNFINISHED = -1;
  private static final int CAP_POSITION = -2;
  private static final char ESC = '%';

  private final LuaString subject;
  private final LuaString pattern;
  private final int subjectEnd;
  private final int patternEnd;
  private final RunLimiter limiter;
  private final int[] captureStart = new int[MAX_CAPTURES];
  private final int[] captureLength = new int[MAX_CAPTURES];
  private int level;
  private int depth;

  LuaPattern(LuaString subject, LuaString pattern, RunLimiter limiter) {
    this.subject = subject;
    this.pattern = pattern;
    this.subjectEnd = subject.length();
    this.patternEnd = pattern.length();
    this.limiter = limiter;
  }

  /**
   * Matches the pattern from pattern index {@code p} against the subject from {@code s}.
   *
   * @return the subject index just past the match, or -1
   */
  int match(int s, int p) {
    level = 0;
    depth = MAX_CALLS;
    return doMatch(s, p);
  }

  /** Captures of the last successful match: the whole match when the pattern has none. */
  int captureCount(boolean wholeIfNone) {
    return level == 0 && wholeIfNone ? 1 : level;
  }

  /** The whole match {@code [s, e)}. */
  LuaString whole(int s, int e) {
    return subject.substring(s, e);
  }

  /** Capture {@code i} (0-based) of the match {@code [s, e)}: a string or a position. */
  LuaValue capture(int i, int s, int e) {
    if (i >= level) {
      if (i == 0) return subject.substring(s, e);
      throw new LuaError("invalid capture index %" + (i + 1));
    }
    int length = captureLength[i];
    if (length == CAP_UNFINISHED) throw new LuaError("unfinished capture");
    if (length == CAP_POSITION) return LuaValue.valueOf(captureStart[i] + 1);
    return subject.substring(captureStart[i], captureStart[i] + length);
  }

  private int p(int i) {
    return i < patternEnd ? pattern.luaByte(i) : 0;
  }

  private int s(int i) {
    return i < subjectEnd ? subject.luaByte(i) : 0;
  }

  private int doMatch(int s, int p) {
    if (depth-- == 0) throw new LuaError("pattern too complex");
    // each "continue" is lstrlib.c's "goto init": a tail call that needs no recursion
    steps:
    while (true) {
      limiter.charge(1);
      if (p == patternEnd) break;
      int c = p(p);
      if (c == '(') {
        s =
            p(p + 1) == ')'
                ? startCapture(s, p + 2, CAP_POSITION)
                : startCapture(s, p + 1, CAP_UNFINISHED);
        break;
      }
      if (c == ')') {
        s = endCapture(s, p + 1);
        break;
      }
      if (c == '$' && p + 1 == patternEnd) {
        s = s == subjectEnd ? s : -1;
        break;
      }
      if (c == ESC) {
        switch (p(p + 1)) {
          case 'b' -> {
            s = matchBalance(s, p + 2);
            if (s == -1) break steps;
            p += 4;
            continue;
          }
          case 'f' -> {
            p += 2;
            if (p(p) != '[') throw new LuaError("missing '[' after '%f' in pattern");
            int ep = classEnd(p);
            int previous = s == 0 ? 0 : subject.luaByte(s - 1);
            if (!matchBracketClass(previous, p, ep - 1) && matchBracketClass(s(s), p, ep - 1)) {
              p = ep;
              continue;
            }
            s = -1;
            break steps;
          }
          case '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> {
            s = matchCapture(s, p(p + 1));
            if (s == -1) break steps;
            p += 2;
            continue;
          }
          default -> {
            // a class such as %d: handled below with the other single characters
          }
        }
      }
      // a single character class with an optional suffix
      int ep = classEnd(p);
      int suffix = p(ep);
      if (!singleMatch(s, p, ep)) {
        if (suffix == '*' || suffix == '?' || suffix == '-') {
          p = ep + 1;
          continue;
        }
        s = -1;
        break;
      }
      switch (suffix) {
        case '?' -> {
          int result = doMatch(s + 1, ep + 1);
          if (result == -1) {
            p = ep + 1;
            continue;
          }
          s = result;
        }
        case '+' -> s = maxExpand(s + 1, p, ep);
        case '*' -> s = maxExpand(s, p, ep);
        case '-' -> s = minExpand(s, p, ep);
        default -> {
          s++;
          p = ep;
          continue;
        }
      }
      break;
    }
    depth++;
    return s;
  }

  private int classEnd(int p) {
    int c = p(p++);
    if (c == ESC) {
      if (p >= patternEnd) throw new LuaError("malformed pattern (ends with '%')");
      return p + 1;
    }
    if (c == '[') {
      if (p(p) == '^') p++;
      do {
        if (p >= patternEnd) throw new LuaError("malformed pattern (missing ']')");
        if (p(p++) == ESC && p < patternEnd) p++;
      } while (p(p) != ']');
      return p + 1;
    }
    return p;
  }

  private static boolean matchClass(int c, int cl) {
    boolean res;
    switch (Character.toLowerCase(cl)) {
      case 'a' -> res = isAlpha(c);
      case 'c' -> res = c < 32 || c == 127;
      case 'd' -> res = c >= '0' && c <= '9';
      case 'g' -> res = c > 32 && c < 127;
      case 'l' -> res = c >= 'a' && c <= 'z';
      case 'p' -> res = c > 32 && c < 127 && !isAlpha(c) && !(c >= '0' && c <= '9');
      case 's' -> res = c == ' ' || (c >= '\t' && c <= '\r');
      case 'u' -> res = c >= 'A' && c <= 'Z';
      case 'w' -> res = isAlpha(c) || (c >= '0' && c <= '9');
      case 'x' -> res = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
      case 'z' -> res = c == 0;
      default -> {
        return cl == c;
      }
    }
    return cl >= 'a' && cl <= 'z' ? res : !res;
  }

  private static boolean isAlpha(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  /** {@code p} at the class's '[', {@code ec} at its ']'. */
  private boolean matchBracketClass(int c, int p, int ec) {
    boolean sig = true;
    if (p(p + 1) == '^') {
      sig = false;
      p++;
    }
    while (++p < ec) {
      if (p(p) == ESC) {
        p++;
        if (matchClass(c, p(p))) return sig;
      } else if (p(p + 1) == '-' && p + 2 < ec) {
        p += 2;
        if (p(p - 2) <= c && c <= p(p)) return sig;
      } else if (p(p) == c) return sig;
    }
    return !sig;
  }

  private boolean singleMatch(int s, int p, int ep) {
    if (s >= subjectEnd) return false;
    int c = subject.luaByte(s);
    return switch (p(p)) {
      case '.' -> true;
      case ESC -> matchClass(c, p(p + 1));
      case '[' -> matchBracketClass(c, p, ep - 1);
      default -> p(p) == c;
    };
  }

  private int matchBalance(int s, int p) {
    if (p >= patternEnd - 1) throw new LuaError("malformed pattern (missing arguments to '%b')");
    if (s >= subjectEnd || subject.luaByte(s) != p(p)) return -1;
    int open = p(p);
    int close = p(p + 1);
    int count = 1;
    while (++s < subjectEnd) {
      limiter.charge(1);
      int c = subject.luaByte(s);
      if (c == close) {
        if (--count == 0) return s + 1;
      } else if (c == open) count++;
    }
    return -1;
  }

  private int maxExpand(int s, int p, int ep) {
    int i = 0;
    while (singleMatch(s + i, p, ep)) {
      limiter.charge(1);
      i++;
    }
    while (i >= 0) {
      int result = doMatch(s + i, ep + 1);
      if (result != -1) return result;
      i--;
    }
    return -1;
  }

  private int minExpand(int s, int p, int ep) {
    while (true) {
      int result = doMatch(s, ep + 1);
      if (result != -1) return result;
      if (!singleMatch(s, p, ep)) return -1;
      s++;
    }
  }

  private int startCapture(int s, int p, int what) {
    if (level >= MAX_CAPTURES) throw new LuaError("too many captures");
    captureStart[level] = s;
    captureLength[level] = what;
    level++;
    int result = doMatch(s, p);
    if (result == -1) level--;
    return result;
  }

  private int endCapture(int s, int p) {
    int l = captureToClose();
    captureLength[l] = s - captureStart[l];
    int result = doMatch(s, p);
    if (result == -1) captureLength[l] = CAP_UNFINISHED;
    return result;
  }

  private int captureToClose() {
    for (int l = level - 1; l >= 0; l--) if (captureLength[l] == CAP_UNFINISHED) return l;
    throw new LuaError("invalid pattern capture");
  }

  private int matchCapture(int s, int digit) {
    int l = digit - '1';
    if (l < 0 || l >= level || captureLength[l] == CAP_UNFINISHED)
      throw new LuaError("invalid capture index %" + (l + 1));
    int length = captureLength[l];
    // a position capture has no text: lstrlib.c's unsigned comparison fails it
    if (length < 0 || subjectEnd - s < length) return -1;
    for (int i = 0; i < length; i++) {
      if (subject.luaByte(captureStart[l] + i) != subject.luaByte(s + i)) return -1;
    }
    limiter.charge(1 + length / ScriptLimits.BYTES_PER_INSTRUCTION);
    return s + length;
  }
}
