package dev.limpet.dataplane.script;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;

/**
 * The Lua state of one request/response transaction: {@code avi.vs.reqvar}, each script's globals
 * and the pool selection. Create one per request, pass it to every event of that request, drop it
 * at the end. Its events must run on one thread (the client channel's event loop); a run on another
 * thread is refused, because its values may hold that thread's functions.
 */
public final class ScriptTransaction {
  private Thread owner;
  private LuaTable reqvar;
  // most virtual services run one script: its environment needs no map
  private String firstScript;
  private ScriptEnvironment firstEnvironment;
  private Map<String, ScriptEnvironment> moreEnvironments;
  private PoolSelection selection;
  private ScriptResult proceeded;
  private String userId;
  private String requestId;
  private PendingPersist pendingPersist;
  private List<String> log;

  // the received field value a script read last, as the Lua string handed to it (see receivedValue)
  private byte[] receivedBytes;
  private int receivedStart;
  private int receivedEnd;
  private LuaString receivedValue;

  /** An {@code avi.vs.persist} waiting for the server that balancing gives the request. */
  record PendingPersist(ScriptTable table, String key, String pool, long lifetimeMillis) {}

  void enter() {
    Thread current = Thread.currentThread();
    if (owner == null) owner = current;
    else if (owner != current)
      throw new IllegalStateException(
          "a transaction's DataScript events must run on one thread: started on "
              + owner.getName()
              + ", now on "
              + current.getName());
  }

  LuaTable reqvar() {
    if (reqvar == null) reqvar = new LuaTable();
    return reqvar;
  }

  ScriptEnvironment environment(String script) {
    if (firstScript == null) {
      firstScript = script;
      firstEnvironment = new ScriptEnvironment();
      return firstEnvironment;
    }
    if (firstScript.equals(script)) return firstEnvironment;
    if (moreEnvironments == null) moreEnvironments = new HashMap<>(4);
    return moreEnvironments.computeIfAbsent(script, s -> new ScriptEnvironment());
  }

  PoolSelection selection() {
    return selection;
  }

  /**
   * The result of an event whose scripts let the exchange go on: one immutable value while the
   * selection stays the same (HTTP_REQ and HTTP_RESP usually end alike).
   */
  ScriptResult proceeded() {
    ScriptResult r = proceeded;
    if (r == null || r.selection() != selection)
      proceeded = r = new ScriptResult(ScriptResult.PROCEED, ScriptResult.Close.NONE, selection);
    return r;
  }

  void select(PoolSelection selection) {
    this.selection = selection;
  }

  void persistAfterBalancing(PendingPersist pending) {
    this.pendingPersist = pending;
  }

  /**
   * The proxy's report that {@code server} of {@code pool} answered this request: completes an
   * {@code avi.vs.persist} of this request when its pool is that pool.
   */
  public void serverResponded(String pool, String server) {
    PendingPersist p = pendingPersist;
    pendingPersist = null;
    if (p != null && p.pool().equals(pool)) p.table().insert(p.key(), server, p.lifetimeMillis());
  }

  /**
   * The Lua string of the received field value at {@code start..end} of {@code bytes} (a request
   * head's field section, never written into), or null when it holds a byte above 0x7F: such a
   * value is read as Latin-1 text and converted to UTF-8 as LuaJ converts every Java string, which
   * the caller does. The same span asked again in this transaction (the HTTP_RESP event reading the
   * request header HTTP_REQ read) gives the same string, without a copy.
   */
  LuaString receivedValue(byte[] bytes, int start, int end) {
    if (bytes == receivedBytes && start == receivedStart && end == receivedEnd)
      return receivedValue;
    for (int i = start; i < end; i++) if (bytes[i] < 0) return null;
    LuaString value = LuaString.valueOf(bytes, start, end - start);
    receivedBytes = bytes;
    receivedStart = start;
    receivedEnd = end;
    receivedValue = value;
    return value;
  }

  /** Appends one line a script wrote ({@code avi.vs.log}) to this request's log record. */
  public void log(String line) {
    if (log == null) log = new ArrayList<>(2);
    log.add(line);
  }

  /** The lines scripts wrote with {@code avi.vs.log}, for the access log; null when none. */
  public List<String> log() {
    return log;
  }

  /** The user id a script set ({@code avi.http.set_userid}), for the access log; else null. */
  public String userId() {
    return userId;
  }

  void userId(String userId) {
    this.userId = userId;
  }

  /**
   * This request's id ({@code avi.http.get_request_id}): 16 random hex digits, drawn when first
   * asked, the same in every event of the request.
   */
  String requestId() {
    if (requestId == null)
      requestId =
          String.format("%016x", java.util.concurrent.ThreadLocalRandom.current().nextLong());
    return requestId;
  }
}
