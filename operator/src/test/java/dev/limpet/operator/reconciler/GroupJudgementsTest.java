package dev.limpet.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.TestResources;
import dev.limpet.operator.validation.JudgementCacheTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A group keeps a judgement cache while it has members, and none once it has none. */
@Timeout(30)
class GroupJudgementsTest {

  @Test
  void aGroupWithoutMembersKeepsNoCache() {
    var judgements = new GroupJudgements();
    var view = new JudgementCacheTest.StubView();
    var pool = TestResources.staticPool("p", null, "10.0.0.1");

    var memo = judgements.begin("ns/default", 1);
    memo.pool(pool, view);
    memo.end();
    assertThat(judgements.cache("ns/default")).isNotNull();
    assertThat(judgements.cache("ns/default").size()).isEqualTo(1);

    judgements.begin("ns/default", 0).end();
    assertThat(judgements.cache("ns/default")).as("the group went: its cache too").isNull();
  }
}
