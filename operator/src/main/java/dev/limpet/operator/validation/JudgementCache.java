package dev.limpet.operator.validation;

import dev.limpet.operator.index.NamespaceView;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.CustomResource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the judgements of one data-plane group resolved (a Pool, a DataScript, a VirtualService's
 * spec and references), each result kept with its subject and every read of the {@link
 * NamespaceView} it was computed from, and reused while the subject and each of those reads are the
 * same again: a change to one member of a group of 1,000 judges that member, not 1,000. A read is
 * the same when it gives the same objects (custom resources: same uid and generation, as only their
 * name and spec are judged; others: same resourceVersion and uid; equal when an object has neither)
 * or equal values (labels, published certificates). A result computed within another (a Pool within
 * a VirtualService) is linked from the outer one, which holds only while the inner one still holds
 * and is still the one kept; an inner result is checked once per round, however many outer ones use
 * it.
 *
 * <p>One judgement is one round ({@link #newRound}): a result checked in a round is trusted for the
 * rest of it, as a judgement reads the caches once; one not used in a round is dropped when it ends
 * ({@link #sweep}), or at the next at the latest. Not thread-safe: one per group, used by the
 * thread that renders it.
 */
public final class JudgementCache {

  /**
   * One result, its subject, what it read (its inner results' reads included), the inner results it
   * used, and the last round that used it.
   */
  private static final class Entry {
    final String key;
    final Object subject;
    final List<Read> reads;
    final List<Entry> inner;
    final Object value;
    long usedIn;
    long checkedIn = -1;
    boolean held;

    Entry(String key, Object subject, List<Read> reads, List<Entry> inner, Object value) {
      this.key = key;
      this.subject = subject;
      this.reads = reads;
      this.inner = inner;
      this.value = value;
    }

    /** Used in {@code round}, and so are its inner results, kept for when it is computed again. */
    void use(long round) {
      usedIn = round;
      for (Entry e : inner) if (e.usedIn != round) e.use(round);
    }
  }

  /** One read of the view: what it read (a key), how to read it again, and what it gave. */
  private record Read(Object what, Function<NamespaceView, Object> again, Object seen) {}

  /** The value a read last gave, and the round that last read it. */
  private record Seen(Object value, long round) {}

  private final Map<String, Entry> entries = new HashMap<>();

  /**
   * What each read gave, shared by every entry that made it: a read is made once per round, and
   * while it gives the same it keeps the instance first seen, so 1,000 members that read the
   * group's decoded certificates (private keys included) hold one copy, not 1,000.
   */
  private final Map<Object, Seen> seen = new HashMap<>();

  private long round;
  private long computed;
  private long readsChecked;

  /** Starts a judgement: what the last one did not use is dropped. */
  public void newRound() {
    long last = round;
    entries.values().removeIf(e -> e.usedIn < last);
    seen.values().removeIf(r -> r.round < last);
    round++;
  }

  /**
   * Ends a judgement: what this round did not use is dropped now, not kept until the next one (a
   * member, Pool or DataScript that left the group holds nothing).
   */
  public void sweep() {
    long current = round;
    entries.values().removeIf(e -> e.usedIn != current);
    seen.values().removeIf(r -> r.round != current);
  }

  /** How many results are kept. */
  public int size() {
    return entries.size();
  }

  /** Whether a result is kept under {@code key}. */
  public boolean holds(String key) {
    return entries.containsKey(key);
  }

  /** How many results were computed (not reused) so far. */
  public long computed() {
    return computed;
  }

  /**
   * The result kept under {@code key} if its subject equals {@code subject} (objects compared as
   * reads are) and every read it made gives the same again; else {@code compute} applied to the
   * view, kept with what it read.
   */
  @SuppressWarnings("unchecked")
  public <V> V get(
      String key, Object subject, NamespaceView view, Function<NamespaceView, V> compute) {
    NamespaceView base = view instanceof Recording recording ? recording.base : view;
    Entry entry = entries.get(key);
    if (entry == null || !same(entry.subject, subject) || !holds(entry, base)) {
      Recording recording = new Recording(this, base);
      V value = compute.apply(recording);
      computed++;
      entry =
          new Entry(
              key, subject, List.copyOf(recording.reads), List.copyOf(recording.inner), value);
      entry.checkedIn = round;
      entry.held = true;
      entries.put(key, entry);
    }
    entry.use(round);
    if (view instanceof Recording outer) outer.inner.add(entry);
    return (V) entry.value;
  }

  /**
   * Whether every read of {@code entry} gives the same again and each inner result it used still
   * holds and is still the one kept: checked once per round, however many outer results use it.
   */
  private boolean holds(Entry entry, NamespaceView view) {
    if (entry.usedIn == round) return true;
    if (entry.checkedIn == round) return entry.held;
    entry.checkedIn = round;
    entry.held = false;
    for (Read read : entry.reads) {
      readsChecked++;
      if (!same(read.seen(), read(read.what(), read.again(), view))) return false;
    }
    for (Entry e : entry.inner) if (entries.get(e.key) != e || !holds(e, view)) return false;
    entry.held = true;
    return true;
  }

  /** How many recorded reads were checked again so far. */
  long readsChecked() {
    return readsChecked;
  }

  /**
   * What {@code how} gives, read once per round under {@code what}; the instance read before while
   * it is the same.
   */
  private Object read(Object what, Function<NamespaceView, Object> how, NamespaceView view) {
    Seen last = seen.get(what);
    if (last != null && last.round == round) return last.value;
    Object value = how.apply(view);
    if (last != null && same(last.value, value)) value = last.value;
    seen.put(what, new Seen(value, round));
    return value;
  }

  /**
   * Whether two reads gave the same: the same objects (by resourceVersion and uid, which change
   * with every write; by equality without a resourceVersion), lists and optionals of them, or equal
   * values.
   */
  static boolean same(Object a, Object b) {
    if (a == b) return true;
    if (a instanceof Optional<?> x && b instanceof Optional<?> y)
      return x.isPresent() == y.isPresent() && (x.isEmpty() || same(x.get(), y.get()));
    if (a instanceof List<?> x && b instanceof List<?> y) {
      if (x.size() != y.size()) return false;
      for (int i = 0; i < x.size(); i++) if (!same(x.get(i), y.get(i))) return false;
      return true;
    }
    if (a instanceof HasMetadata x && b instanceof HasMetadata y) {
      var m = x.getMetadata();
      var n = y.getMetadata();
      // a judgement reads only a custom resource's name and spec: a status write (a Pool's
      // serversUp) changes its resourceVersion, not its generation, and judges nothing again
      if (x instanceof CustomResource<?, ?>
          && m != null
          && n != null
          && m.getGeneration() != null
          && m.getUid() != null)
        return x.getClass() == y.getClass()
            && m.getGeneration().equals(n.getGeneration())
            && m.getUid().equals(n.getUid())
            && Objects.equals(m.getName(), n.getName());
      if (m != null && n != null && m.getResourceVersion() != null)
        return x.getClass() == y.getClass()
            && m.getResourceVersion().equals(n.getResourceVersion())
            && Objects.equals(m.getUid(), n.getUid())
            && Objects.equals(m.getName(), n.getName());
    }
    return Objects.equals(a, b);
  }

  /**
   * A view that notes every read. Every method of {@link NamespaceView} that reads is listed here
   * (the named getters are {@link #get} underneath).
   */
  private static final class Recording implements NamespaceView {
    final JudgementCache cache;
    final NamespaceView base;
    final List<Read> reads = new ArrayList<>();
    final List<Entry> inner = new ArrayList<>();

    Recording(JudgementCache cache, NamespaceView base) {
      this.cache = cache;
      this.base = base;
    }

    @SuppressWarnings("unchecked")
    private <T> T read(Function<NamespaceView, T> how, Object... what) {
      Object key = Arrays.asList(what); // a name may be null
      Function<NamespaceView, Object> again = how::apply;
      T seen = (T) cache.read(key, again, base);
      reads.add(new Read(key, again, seen));
      return seen;
    }

    @Override
    public <R extends HasMetadata> Optional<R> get(Class<R> type, String name) {
      return read(v -> v.get(type, name), "get", type, name);
    }

    @Override
    public List<EndpointSlice> endpointSlices(String serviceName) {
      return read(v -> v.endpointSlices(serviceName), "endpointSlices", serviceName);
    }

    @Override
    public Map<String, String> podLabels(String podName) {
      return read(v -> v.podLabels(podName), "podLabels", podName);
    }

    @Override
    public Optional<Secret> tlsSecret(String name) {
      return read(v -> v.tlsSecret(name), "tlsSecret", name);
    }

    @Override
    public Optional<Secret> keySecret(String name) {
      return read(v -> v.keySecret(name), "keySecret", name);
    }

    @Override
    public Map<String, String> publishedCertificates(String group) {
      return read(v -> v.publishedCertificates(group), "publishedCertificates", group);
    }
  }
}
