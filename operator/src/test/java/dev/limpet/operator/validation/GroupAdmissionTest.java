package dev.limpet.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.MapNamespaceView;
import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.VirtualService;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One judgement of a group resolves each Pool and compiles each DataScript once; judgements that
 * share a {@link JudgementCache} judge again only what changed, and every change to what a member
 * references still changes its verdict or the group's input.
 */
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

  /** The objects of one state of the namespace, each at its resourceVersion. */
  private static MapNamespaceView view(List<HasMetadata> objects) {
    return new MapNamespaceView(objects);
  }

  private static <T extends HasMetadata> T at(T object, String resourceVersion) {
    object.getMetadata().setResourceVersion(resourceVersion);
    object.getMetadata().setUid("uid-" + object.getMetadata().getName());
    return object;
  }

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Fresh copies, as a relist gives: equal only by what they hold, never by identity. */
  private static <T extends HasMetadata> List<T> copies(List<T> objects) {
    List<T> copies = new ArrayList<>();
    for (T o : objects) {
      T copy = SERIALIZATION.clone(o);
      assertThat(copy).isNotSameAs(o);
      copies.add(copy);
    }
    return copies;
  }

  @Test
  void aCacheKeptBetweenJudgementsJudgesAgainExactlyWhatChanged() {
    List<VirtualService> members = new ArrayList<>();
    for (int i = 0; i < 20; i++)
      members.add(
          at(TestResources.scriptedVirtualService("vs-" + i, 8000 + i, "p", "log"), "" + i));
    VirtualService onService = at(TestResources.virtualService("vs-svc", 9000, "sp"), "100");
    members.add(onService);
    var pool = at(TestResources.staticPool("p", "cookie", "10.0.0.1"), "1");
    var profile = at(TestResources.cookieProfile("cookie"), "1");
    var script = at(TestResources.dataScript("log", "avi.vs.log('hi')", "p"), "1");
    var servicePool =
        at(
            TestResources.servicePool(
                "sp", "web", new io.fabric8.kubernetes.api.model.IntOrString(80), null),
            "1");
    var service = at(TestResources.service("web", null), "1");
    var slice =
        at(
            TestResources.slice("web-1", "web", null, TestResources.Ep.ready("10.1.0.1", "pod-a")),
            "1");
    AtomicInteger compiled = new AtomicInteger();
    ScriptCompiler compiler =
        s -> {
          compiled.incrementAndGet();
          return s.events().httpRequest().contains("broken")
              ? Optional.of("httpRequest does not compile")
              : Optional.empty();
        };
    var cache = new JudgementCache();
    List<HasMetadata> objects = new ArrayList<>(members);
    objects.addAll(List.of(pool, profile, script, servicePool, service, slice));

    var verdicts = judge(members, view(objects), compiler, cache);
    assertThat(verdicts.values()).allMatch(VirtualServiceVerdict::admitted);
    long computed = cache.computed();
    assertThat(compiled).hasValue(1);

    // nothing changed (copies of the same versions, as after a relist): nothing judged again
    var again = judge(copies(members), view(copies(objects)), compiler, cache);
    assertThat(again).isEqualTo(verdicts);
    assertThat(cache.computed()).isEqualTo(computed);

    // one member changed: that one is judged again, alone
    VirtualService edited =
        at(TestResources.scriptedVirtualService("vs-0", 7999, "p", "log"), "200");
    members.set(0, edited);
    objects.set(0, edited);
    judge(members, view(objects), compiler, cache);
    assertThat(cache.computed()).isEqualTo(computed + 1);

    // the Pools' profile goes: every member on that Pool is refused
    objects.remove(profile);
    var noProfile = judge(members, view(objects), compiler, cache);
    assertThat(noProfile.get("vs-5").admitted()).isFalse();
    assertThat(noProfile.get("vs-5").references().notReady()).anyMatch(m -> m.contains("Pool 'p'"));
    assertThat(noProfile.get("vs-svc").admitted()).isTrue();
    objects.add(profile);
    assertThat(judge(members, view(objects), compiler, cache).get("vs-5").admitted()).isTrue();

    // the Pool is edited to a bad one
    var badPool = at(TestResources.staticPool("p", "cookie", "not-an-ip"), "2");
    objects.set(objects.indexOf(pool), badPool);
    assertThat(judge(members, view(objects), compiler, cache).get("vs-5").admitted()).isFalse();
    objects.set(objects.indexOf(badPool), pool);

    // the DataScript is edited to one that does not compile
    var broken = at(TestResources.dataScript("log", "broken(", "p"), "2");
    objects.set(objects.indexOf(script), broken);
    var notCompiled = judge(members, view(objects), compiler, cache);
    assertThat(notCompiled.get("vs-5").references().notReady())
        .anyMatch(m -> m.contains("does not compile"));
    objects.set(objects.indexOf(broken), script);

    // the Service goes: the member on it is refused
    objects.remove(service);
    assertThat(judge(members, view(objects), compiler, cache).get("vs-svc").admitted()).isFalse();
    objects.add(service);

    // its EndpointSlice changes: the group renders the new endpoint
    var moved =
        at(
            TestResources.slice("web-1", "web", null, TestResources.Ep.ready("10.1.0.2", "pod-b")),
            "2");
    objects.set(objects.indexOf(slice), moved);
    var memo = new References.Memo(cache);
    var view = view(objects);
    var verdictsNow = GroupAdmission.judge(members, view, compiler, Instant.now(), memo);
    assertThat(verdictsNow.get("vs-svc").admitted()).isTrue();
    var input = GroupAdmission.input(members, verdictsNow, view, memo);
    assertThat(input.endpointServers().get("sp"))
        .extracting(dev.limpet.contract.ServerConfig::ip)
        .containsExactly("10.1.0.2");
  }

  private static java.util.Map<String, VirtualServiceVerdict> judge(
      List<VirtualService> members,
      MapNamespaceView view,
      ScriptCompiler compiler,
      JudgementCache cache) {
    return GroupAdmission.judge(members, view, compiler, Instant.now(), new References.Memo(cache));
  }
}
