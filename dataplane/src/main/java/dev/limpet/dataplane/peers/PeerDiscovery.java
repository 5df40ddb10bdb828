package dev.limpet.dataplane.peers;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** Where the other replicas are: asked again periodically, since pods come and go. */
public interface PeerDiscovery extends AutoCloseable {
  /** The peer addresses now; may include this replica's own (it is recognised and skipped). */
  CompletionStage<Set<InetSocketAddress>> resolve();

  /** What it is, for logs and the admin view. */
  String describe();

  @Override
  default void close() {}
}
