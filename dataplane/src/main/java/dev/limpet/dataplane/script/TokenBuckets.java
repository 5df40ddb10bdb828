package dev.limpet.dataplane.script;

import dev.limpet.contract.DataScriptConfig.RateLimiter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One DataScript rate limiter: a token bucket per key holding up to {@code count + burst} tokens,
 * refilled at {@code count} per {@code periodSeconds}. At most {@code maxKeys} buckets are kept,
 * the least recently used dropped first, so keys a client invents cannot grow memory; a dropped key
 * starts full again, which only ever lets a forgotten client through. Per process (each replica
 * counts its own requests). Thread-safe: every event loop shares it.
 */
final class TokenBuckets {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final RateLimiter config;
  private final double capacity;
  private final double tokensPerNano;
  private final LongSupplier nanoClock;
  private final Map<String, Bucket> buckets;

  private static final class Bucket {
    double tokens;
    long refilledAt;
  }

  TokenBuckets(RateLimiter config, LongSupplier nanoClock) {
    this.config = config;
    this.capacity = (double) config.count() + config.burst();
    this.tokensPerNano = config.count() / ((double) config.periodSeconds() * NANOS_PER_SECOND);
    this.nanoClock = nanoClock;
    int maxKeys = config.maxKeys();
    this.buckets =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
            return size() > maxKeys;
          }
        };
  }

  RateLimiter config() {
    return config;
  }

  /**
   * Takes {@code tokens} from the bucket of {@code key}; true when it holds fewer (over the limit:
   * nothing is taken).
   */
  synchronized boolean exceeds(String key, int tokens) {
    long now = nanoClock.getAsLong();
    Bucket b = buckets.get(key);
    if (b == null) {
      b = new Bucket();
      b.tokens = capacity;
      b.refilledAt = now;
      buckets.put(key, b);
    } else {
      b.tokens = Math.min(capacity, b.tokens + (now - b.refilledAt) * tokensPerNano);
      b.refilledAt = now;
    }
    if (b.tokens < tokens) return true;
    b.tokens -= tokens;
    return false;
  }

  synchronized int keys() {
    return buckets.size();
  }
}
