package dev.limpet.operator.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.operator.TestResources;
import dev.limpet.operator.api.Pool;
import dev.limpet.operator.index.NamespaceView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A kept judgement is reused exactly while its subject and everything it read are the same: each
 * kind of read, changed, makes it computed again.
 */
@Timeout(30)
public class JudgementCacheTest {

  /** A view whose answers the test sets; objects are copied on each read, as a relist would. */
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  public static final class StubView implements NamespaceView {
    final Map<String, HasMetadata> objects = new HashMap<>();
    final Map<String, List<EndpointSlice>> slices = new HashMap<>();
    final Map<String, Map<String, String>> podLabels = new HashMap<>();
    final Map<String, Secret> tlsSecrets = new HashMap<>();
    final Map<String, Secret> keySecrets = new HashMap<>();
    final Map<String, Map<String, String>> published = new HashMap<>();

    @Override
    public <R extends HasMetadata> Optional<R> get(Class<R> type, String name) {
      return Optional.ofNullable(objects.get(type.getSimpleName() + "/" + name))
          .filter(type::isInstance)
          .map(type::cast)
          .map(SERIALIZATION::clone);
    }

    @Override
    public List<EndpointSlice> endpointSlices(String serviceName) {
      return slices.getOrDefault(serviceName, List.of()).stream()
          .map(SERIALIZATION::clone)
          .toList();
    }

    @Override
    public Map<String, String> podLabels(String podName) {
      return new HashMap<>(podLabels.getOrDefault(podName, Map.of()));
    }

    @Override
    public Optional<Secret> tlsSecret(String name) {
      return Optional.ofNullable(tlsSecrets.get(name)).map(SERIALIZATION::clone);
    }

    @Override
    public Optional<Secret> keySecret(String name) {
      return Optional.ofNullable(keySecrets.get(name)).map(SERIALIZATION::clone);
    }

    @Override
    public Map<String, String> publishedCertificates(String group) {
      return new HashMap<>(published.getOrDefault(group, Map.of()));
    }
  }

  private static <T extends HasMetadata> T at(T object, String resourceVersion) {
    object.getMetadata().setResourceVersion(resourceVersion);
    object.getMetadata().setUid("uid-" + object.getMetadata().getName());
    // a custom resource's generation follows its spec; here every version is another spec
    if (object.getMetadata().getGeneration() == null)
      object.getMetadata().setGeneration(Long.parseLong(resourceVersion));
    return object;
  }

  private static Pool pool(String resourceVersion) {
    return at(TestResources.staticPool("p", null, "10.0.0.1"), resourceVersion);
  }

  private static Secret secret(String name, String resourceVersion) {
    return at(
        new SecretBuilder().withNewMetadata().withName(name).endMetadata().build(),
        resourceVersion);
  }

  private static EndpointSlice slice(String resourceVersion) {
    return at(
        TestResources.slice("web-1", "web", null, TestResources.Ep.ready("10.1.0.1", "pod-a")),
        resourceVersion);
  }

  /** Every kind of read: how to set it up, the read, and a change to what it gives. */
  static Stream<Arguments> reads() {
    return Stream.of(
        read(
            "an object",
            v -> v.objects.put("Pool/p", pool("1")),
            v -> v.pool("p"),
            v -> v.objects.put("Pool/p", pool("2"))),
        read(
            "an object that goes",
            v -> v.objects.put("Pool/p", pool("1")),
            v -> v.pool("p"),
            v -> v.objects.remove("Pool/p")),
        read(
            "an object that comes",
            v -> {},
            v -> v.pool("p"),
            v -> v.objects.put("Pool/p", pool("1"))),
        read(
            "EndpointSlices",
            v -> v.slices.put("web", List.of(slice("1"))),
            v -> v.endpointSlices("web"),
            v -> v.slices.put("web", List.of(slice("2")))),
        read(
            "another EndpointSlice",
            v -> v.slices.put("web", List.of(slice("1"))),
            v -> v.endpointSlices("web"),
            v -> v.slices.put("web", List.of(slice("1"), slice("1")))),
        read(
            "pod labels",
            v -> v.podLabels.put("pod-a", Map.of("track", "a")),
            v -> v.podLabels("pod-a"),
            v -> v.podLabels.put("pod-a", Map.of("track", "b"))),
        read(
            "a TLS Secret",
            v -> v.tlsSecrets.put("cert", secret("cert", "1")),
            v -> v.tlsSecret("cert"),
            v -> v.tlsSecrets.put("cert", secret("cert", "2"))),
        read(
            "a crypto-key Secret",
            v -> v.keySecrets.put("keys", secret("keys", "1")),
            v -> v.keySecret("keys"),
            v -> v.keySecrets.put("keys", secret("keys", "2"))),
        read(
            "the group's published certificates",
            v -> v.published.put("default", Map.of("a.crt", "x")),
            v -> v.publishedCertificates("default"),
            v -> v.published.put("default", Map.of("a.crt", "y"))));
  }

  private static Arguments read(
      String what,
      Consumer<StubView> setUp,
      Function<NamespaceView, Object> read,
      Consumer<StubView> change) {
    return Arguments.of(what, setUp, read, change);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reads")
  void aChangeToWhatItReadComputesItAgain(
      String what,
      Consumer<StubView> setUp,
      Function<NamespaceView, Object> read,
      Consumer<StubView> change) {
    var view = new StubView();
    setUp.accept(view);
    var cache = new JudgementCache();

    cache.newRound();
    Object first = cache.get("k", "subject", view, read);
    cache.newRound();
    Object again = cache.get("k", "subject", view, read);
    assertThat(again).as("unchanged: reused").isSameAs(first);
    assertThat(cache.computed()).isEqualTo(1);

    change.accept(view);
    cache.newRound();
    cache.get("k", "subject", view, read);
    assertThat(cache.computed()).as("changed: computed again").isEqualTo(2);
  }

  @Test
  void anotherSubjectComputesItAgain() {
    var view = new StubView();
    var cache = new JudgementCache();
    cache.newRound();
    cache.get("k", List.of("vs", 80), view, v -> "first");
    cache.newRound();
    assertThat(cache.<Object>get("k", List.of("vs", 80), view, v -> "second")).isEqualTo("first");
    cache.newRound();
    assertThat(cache.<Object>get("k", List.of("vs", 81), view, v -> "third")).isEqualTo("third");
    cache.newRound();
    assertThat(cache.<Object>get("k", pool("1"), view, v -> "of pool 1")).isEqualTo("of pool 1");
    cache.newRound();
    assertThat(cache.<Object>get("k", pool("1"), view, v -> "other")).isEqualTo("of pool 1");
    assertThat(cache.<Object>get("k", pool("2"), view, v -> "of pool 2")).isEqualTo("of pool 2");
  }

  @Test
  void aResultReusedWithinAnotherAddsItsReadsToIt() {
    var view = new StubView();
    view.objects.put("Pool/p", pool("1"));
    var cache = new JudgementCache();
    Function<NamespaceView, Object> inner = v -> v.pool("p").isPresent();
    // the inner result is computed first, so the outer one only reuses it and reads nothing itself
    Function<NamespaceView, Object> outer = v -> cache.get("inner", "p", v, inner);

    cache.newRound();
    cache.get("inner", "p", view, inner);
    assertThat(cache.<Object>get("outer", "vs", view, outer)).isEqualTo(true);

    view.objects.remove("Pool/p");
    cache.newRound();
    assertThat(cache.<Object>get("outer", "vs", view, outer))
        .as("the outer result read the Pool through the inner one")
        .isEqualTo(false);
  }

  @Test
  void withinARoundAResultIsCheckedOnce() {
    var view = new StubView();
    view.objects.put("Pool/p", pool("1"));
    var cache = new JudgementCache();
    cache.newRound();
    cache.get("k", "s", view, v -> v.pool("p"));
    view.objects.put("Pool/p", pool("2"));
    cache.get("k", "s", view, v -> v.pool("p"));
    assertThat(cache.computed()).as("one judgement reads the caches once").isEqualTo(1);
  }

  @Test
  void whatARoundDidNotUseIsDropped() {
    var view = new StubView();
    var cache = new JudgementCache();
    cache.newRound();
    cache.get("gone", "s", view, v -> "kept");
    cache.newRound();
    cache.newRound();
    assertThat(cache.<Object>get("gone", "s", view, v -> "computed again"))
        .isEqualTo("computed again");
  }

  @Test
  void whatARoundDidNotUseIsGoneWhenItEnds() {
    var view = new StubView();
    var cache = new JudgementCache();
    cache.newRound();
    cache.get("gone", "s", view, v -> "kept");
    cache.get("stays", "s", view, v -> "kept");
    cache.sweep();
    cache.newRound();
    cache.get("stays", "s", view, v -> "kept");
    cache.sweep();
    assertThat(cache.holds("gone")).as("not used in this round").isFalse();
    assertThat(cache.holds("stays")).isTrue();
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void membersThatReadTheSameCertificatesShareOneCopy() {
    var view = new StubView();
    view.published.put("default", Map.of("a.key", "private"));
    var cache = new JudgementCache();
    Function<NamespaceView, Object> read = v -> v.publishedCertificates("default");
    cache.newRound();
    Object a = cache.get("a", "a", view, read);
    Object b = cache.get("b", "b", view, read);
    cache.sweep();
    cache.newRound();
    Object c = cache.get("c", "c", view, read);
    assertThat(cache.<Object>get("a", "a", view, read)).isSameAs(a);
    assertThat(b).as("each read of the view decodes a new copy; one is kept").isSameAs(a);
    assertThat(c).as("a later round keeps the copy while it is the same").isSameAs(a);
    assertThat(cache.computed()).isEqualTo(3);
  }

  @Test
  void aPoolStatusWriteJudgesNothingAgainASpecChangeItsMembers() {
    var view = new StubView();
    view.objects.put("Pool/p", pool("1"));
    view.slices.put("web", List.of(slice("1")));
    var cache = new JudgementCache();
    Function<NamespaceView, Object> inner = v -> v.endpointSlices("web").size();
    Function<NamespaceView, Object> member =
        v -> cache.get("Pool/p", v.pool("p").orElseThrow(), v, inner);
    cache.newRound();
    for (int i = 0; i < 3; i++) cache.get("vs-" + i, "vs-" + i, view, member);
    cache.sweep();
    assertThat(cache.computed()).isEqualTo(4);

    Pool statusWritten = pool("2");
    statusWritten.getMetadata().setGeneration(1L);
    view.objects.put("Pool/p", statusWritten);
    Pool before = (Pool) view.objects.get("Pool/p");
    assertThat(before.getMetadata().getGeneration()).isEqualTo(1L);
    long checked = cache.readsChecked();
    cache.newRound();
    for (int i = 0; i < 3; i++) cache.get("vs-" + i, "vs-" + i, view, member);
    cache.sweep();
    assertThat(cache.computed()).as("a status write: same generation").isEqualTo(4);
    assertThat(cache.readsChecked() - checked)
        .as("each member's Pool read, and the Pool's slice read once, not once per member")
        .isEqualTo(3 + 1);

    Pool specChanged = pool("3");
    specChanged.getMetadata().setGeneration(2L);
    view.objects.put("Pool/p", specChanged);
    cache.newRound();
    for (int i = 0; i < 3; i++) cache.get("vs-" + i, "vs-" + i, view, member);
    assertThat(cache.computed()).as("a spec change: the Pool and its members").isEqualTo(4 + 4);

    view.slices.put("web", List.of(slice("2")));
    cache.newRound();
    for (int i = 0; i < 3; i++) cache.get("vs-" + i, "vs-" + i, view, member);
    assertThat(cache.computed()).as("what the Pool read changed").isEqualTo(8 + 4);
  }

  @Test
  void objectsWithoutAResourceVersionAreComparedByValue() {
    Pool a = TestResources.staticPool("p", null, "10.0.0.1");
    assertThat(JudgementCache.same(a, TestResources.staticPool("p", null, "10.0.0.1"))).isTrue();
    assertThat(JudgementCache.same(a, TestResources.staticPool("p", null, "10.0.0.2"))).isFalse();
    assertThat(JudgementCache.same(pool("1"), pool("1"))).isTrue();
    Pool recreated = pool("1");
    recreated.getMetadata().setUid("another");
    assertThat(JudgementCache.same(pool("1"), recreated)).isFalse();
  }
}
