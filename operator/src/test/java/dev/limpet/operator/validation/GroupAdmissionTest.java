package dev.limpet.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.MapNamespaceView;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One judgement of a group resolves each Pool and compiles each DataScript once. */
@Timeout(30)
class GroupAdmissionTest {

  @Test
  void aScriptSharedByEveryMemberIsCompiledOncePerJudgement() {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(TestResources.staticPool("p", null, "10.0.0.1"));
    objects.add(TestResources.dataScript("log", "avi.vs.log('hi')", "p"));
    List<VirtualService> members = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      VirtualService vs = TestResources.scriptedVirtualService("vs-" + i, 8000 + i, "p", "log");
      members.add(vs);
    }
    objects.addAll(members);
    var view = new MapNamespaceView(objects);
    AtomicInteger compiled = new AtomicInteger();
    ScriptCompiler counting =
        script -> {
          compiled.incrementAndGet();
          return Optional.empty();
        };

    var memo = new References.Memo();
    var verdicts = GroupAdmission.judge(members, view, counting, Instant.now(), memo);
    var input = GroupAdmission.input(members, verdicts, view, memo);

    assertThat(verdicts.values()).allMatch(VirtualServiceVerdict::admitted);
    assertThat(input.virtualServices()).hasSize(50);
    assertThat(compiled).hasValue(1);
  }
}
