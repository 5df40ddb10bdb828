package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.DataScriptConfig.RateLimitAction;
import dev.limpet.contract.DataScriptConfig.RateLimiter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code avi.vs.ratelimit.exceed}, {@code avi.vs.rate_limit} and the token buckets behind them. */
@Timeout(20)
class RateLimitTest {
  private static final long SECOND = 1_000_000_000L;
  private final ScriptHarness harness = new ScriptHarness();

  private static RateLimiter limiter(String name, int count, RateLimitAction action) {
    return new RateLimiter(name, count, 3600, null, null, action, null);
  }

  @Test
  void aBucketHoldsCountPlusBurstAndRefillsAtCountPerPeriod() {
    AtomicLong now = new AtomicLong();
    var buckets = new TokenBuckets(new RateLimiter("r", 2, 10, 1, null, null, null), now::get);
    assertThat(List.of(buckets.exceeds("k", 1), buckets.exceeds("k", 1), buckets.exceeds("k", 1)))
        .containsOnly(false);
    assertThat(buckets.exceeds("k", 1)).isTrue();
    assertThat(buckets.exceeds("other", 3)).isFalse(); // each key has its own bucket
    now.addAndGet(5 * SECOND); // 2 per 10 s: one token back
    assertThat(buckets.exceeds("k", 1)).isFalse();
    assertThat(buckets.exceeds("k", 1)).isTrue();
    now.addAndGet(3600 * SECOND); // never more than count + burst
    assertThat(buckets.exceeds("k", 4)).isTrue();
    assertThat(buckets.exceeds("k", 3)).isFalse();
  }

  @Test
  void theNumberOfKeysIsBoundedLeastRecentlyUsedFirst() {
    AtomicLong now = new AtomicLong();
    var buckets = new TokenBuckets(new RateLimiter("r", 1, 3600, 0, 100, null, null), now::get);
    assertThat(buckets.exceeds("kept", 1)).isFalse();
    for (int i = 0; i < 10_000; i++) {
      buckets.exceeds("attacker-" + i, 1);
      if (i % 50 == 0) assertThat(buckets.exceeds("kept", 1)).isTrue(); // used: stays
    }
    assertThat(buckets.keys()).isEqualTo(100);
    assertThat(buckets.exceeds("attacker-0", 1)).isFalse(); // forgotten: starts full again
  }

  @Test
  void exceedTakesOneOrConsumeTokensPerKeyFromTheNamedLimiter() {
    harness.rateLimiters.add(limiter("per_client", 3, null));
    harness.rateLimiters.add(limiter("other", 100, null));
    harness.request(
        """
        local rl = avi.vs.ratelimit
        avi.vs.log(rl.exceed("per_client", "a"), rl.exceed("per_client", "a", 2), rl.exceed("per_client", "a"))
        avi.vs.log(rl.exceed("per_client", "b", "3"), rl.exceed("other", "a", 100), rl.exceed("other", "a"))
        """);
    var exchange = new FakeExchange("/");
    harness.request(exchange);
    assertThat(harness.failures).isEmpty();
    assertThat(ScriptHarness.logged(exchange))
        .containsExactly("false false true", "false false true");
  }

  @Test
  void anUnknownLimiterOrRateLimitWithoutOneIsAnErrorThatNamesIt() {
    harness.rateLimiters.add(limiter("a", 1, null));
    harness.request("avi.vs.ratelimit.exceed('b', 'k')");
    harness.request(new FakeExchange("/"));
    assertThat(harness.failure())
        .contains(
            "bad argument #1 to 'avi.vs.ratelimit.exceed' (no rate limiter 'b' in this DataScript"
                + " [a])");
    var none = new ScriptHarness();
    none.request("avi.vs.rate_limit(avi.RL_CUSTOM_STRING, 'k')");
    none.request(new FakeExchange("/"));
    assertThat(none.failure()).contains("needs a rate limiter declared in the DataScript");
    var badType = new ScriptHarness();
    badType.rateLimiters.add(limiter("a", 1, null));
    badType.request("avi.vs.rate_limit('ip', 'k')");
    badType.request(new FakeExchange("/"));
    assertThat(badType.failure()).contains("avi.RL_CUSTOM_STRING expected");
  }

  @Test
  void rateLimitReturnsExceededAndTheActionWhichItTakesUnlessDeferred() {
    harness.rateLimiters.add(limiter("custom", 1, RateLimitAction.LOCAL_RSP));
    harness.request(
        """
        local exceeded, action = avi.vs.rate_limit(avi.RL_CUSTOM_STRING, avi.vs.client_ip(), true)
        avi.vs.log(exceeded, action == avi.RL_ACTION_LOCAL_RSP)
        if exceeded then return end
        avi.vs.rate_limit(avi.RL_CUSTOM_STRING, "second")
        avi.vs.rate_limit(avi.RL_CUSTOM_STRING, "second")
        avi.vs.log("not reached")
        """);
    var first = new FakeExchange("/");
    var reply = (ScriptResult.LocalResponse) harness.request(first).action();
    assertThat(ScriptHarness.logged(first)).containsExactly("false true");
    assertThat(reply.status()).isEqualTo(429);
    assertThat(new String(reply.body(), StandardCharsets.UTF_8)).contains("rate limit exceeded");
    var deferred = new FakeExchange("/");
    assertThat(harness.request(deferred).action()).isInstanceOf(ScriptResult.Proceed.class);
    assertThat(ScriptHarness.logged(deferred)).containsExactly("true true");
  }

  @Test
  void theCloseActionClosesTheConnectionAndNoneOnlyReports() {
    harness.rateLimiters.add(limiter("custom", 1, RateLimitAction.CLOSE_CONN));
    harness.request("avi.vs.rate_limit(avi.RL_CUSTOM_STRING, 'k')");
    assertThat(harness.request(new FakeExchange("/")).close()).isEqualTo(ScriptResult.Close.NONE);
    assertThat(harness.request(new FakeExchange("/")).close()).isEqualTo(ScriptResult.Close.FIN);
    var none = new ScriptHarness();
    none.rateLimiters.add(limiter("custom", 1, RateLimitAction.NONE));
    none.request(
        "local e, a = avi.vs.rate_limit(avi.RL_CUSTOM_STRING, 'k') avi.vs.log(e, a == avi.RL_ACTION_NONE)");
    none.request(new FakeExchange("/"));
    var second = new FakeExchange("/");
    var result = none.request(second);
    assertThat(result.action()).isInstanceOf(ScriptResult.Proceed.class);
    assertThat(result.close()).isEqualTo(ScriptResult.Close.NONE);
    assertThat(ScriptHarness.logged(second)).containsExactly("true true");
  }
}
