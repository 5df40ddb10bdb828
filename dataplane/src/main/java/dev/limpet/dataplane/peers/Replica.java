package dev.limpet.dataplane.peers;

import java.security.SecureRandom;

/**
 * One run of a replica: its name and an incarnation number drawn at start. A restarted replica is a
 * new incarnation: its change numbers start again at 1, so its peers must not resume the old ones.
 */
record Replica(String id, long incarnation) {
  static Replica start(String id) {
    long incarnation = 0;
    while (incarnation == 0) incarnation = new SecureRandom().nextLong();
    return new Replica(id, incarnation);
  }
}
