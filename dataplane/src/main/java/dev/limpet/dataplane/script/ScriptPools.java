package dev.limpet.dataplane.script;

import dev.limpet.dataplane.upstream.HashRing;
import dev.limpet.dataplane.upstream.Server;
import java.util.List;

/** The pools of the configuration a virtual service runs with, as {@code avi.pool.*} sees them. */
public interface ScriptPools {
  /** The live members of {@code pool} (by its configuration name), empty if there is none. */
  List<Server> members(String pool);

  /**
   * The member of {@code pool} that consistent hashing gives {@code key}, or null when none accepts
   * clients. This default builds the ring per call; the data plane's pools keep theirs.
   */
  default Server consistentHash(String pool, String key) {
    return new HashRing(members(pool)).pick(key);
  }
}
