package dev.limpet.e2e;

import dev.limpet.e2e.local.DataPlaneReplicas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Clients that each have a pod to stay on (ClientIP clients by source address, HttpCookie clients
 * by their cookie) sending requests while a test breaks something. Each request goes to a Ready
 * replica, round robin, as through the replicas' Service once its endpoints follow readiness; a
 * request that fails is counted, not retried. Bounded: it stops at {@link #stop}, after {@code
 * maxDuration}, or after {@code maxRequests}, whichever comes first.
 */
final class PinnedLoad {
  private static final int THREADS = 4;
  // each load has its own client addresses, new to the ClientIP table
  private static final AtomicInteger LOADS = new AtomicInteger();

  /**
   * What the clients saw: requests, failures, the {@link System#nanoTime} at which each failed
   * request was sent, and clients answered by more than one pod.
   */
  record Result(int requests, int failures, List<Long> failedSentAt, List<String> moved) {
    @Override
    public String toString() {
      return requests + " requests, " + failures + " failed, " + moved.size() + " clients moved";
    }
  }

  private record Client(String name, String from, int port, Map<String, String> headers) {}

  private final DataPlaneReplicas replicas;
  private final List<Client> clients = new ArrayList<>();
  private final Map<String, Set<String>> pods = new ConcurrentHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger failures = new AtomicInteger();
  private final Queue<Long> failedSentAt = new ConcurrentLinkedQueue<>();
  private final AtomicInteger turn = new AtomicInteger();
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final List<Thread> threads = new ArrayList<>();

  /**
   * Eight ClientIP clients (port 8081) and eight HttpCookie clients (8080), each given its pod by a
   * first request (for ClientIP, replicated to the other replica before the load starts).
   */
  PinnedLoad(DataPlaneReplicas replicas) throws Exception {
    this.replicas = replicas;
    LOADS.incrementAndGet();
    for (int i = 0; i < 8; i++) {
      String from = "127.0.16." + (LOADS.get() * 8 + i + 1);
      Replicas.replicated(
          1,
          "persistence/client-ip/",
          () -> Replicas.get(0, ExamplesTest.CLIENT_IP, from, "/", Map.of()));
      clients.add(new Client("client-ip " + from, from, ExamplesTest.CLIENT_IP, Map.of()));
      String cookie = Replicas.get(i % 2, ExamplesTest.HTTP_COOKIE, Map.of()).setCookie("LIMPET");
      clients.add(
          new Client(
              "cookie " + i, null, ExamplesTest.HTTP_COOKIE, Map.of("Cookie", "LIMPET=" + cookie)));
    }
  }

  void start(Duration maxDuration, int maxRequests) {
    long deadline = System.nanoTime() + maxDuration.toNanos();
    for (int t = 0; t < THREADS; t++) {
      int first = t;
      Thread thread =
          new Thread(
              () -> {
                for (int i = first;
                    !stopping.get() && System.nanoTime() < deadline && requests.get() < maxRequests;
                    i += THREADS) {
                  send(clients.get(i % clients.size()));
                }
              },
              "load-" + t);
      thread.start();
      threads.add(thread);
    }
  }

  private void send(Client client) {
    requests.incrementAndGet();
    long sentAt = System.nanoTime();
    int replica = readyReplica();
    try {
      if (replica < 0) throw new IllegalStateException("no ready replica");
      HttpAnswer answer =
          HttpAnswer.get(client.from(), replicas.ip(replica), client.port(), "/", client.headers());
      if (answer.status() != 200 || answer.backend() == null)
        throw new IllegalStateException("status " + answer.status());
      pods.computeIfAbsent(client.name(), k -> ConcurrentHashMap.newKeySet()).add(answer.backend());
    } catch (Exception e) {
      failures.incrementAndGet();
      failedSentAt.add(sentAt);
    }
  }

  private int readyReplica() {
    int n = replicas.count();
    for (int k = 0; k < n; k++) {
      int candidate = Math.floorMod(turn.getAndIncrement(), n);
      if (replicas.ready(candidate)) return candidate;
    }
    return -1;
  }

  /** How many requests were sent so far. */
  int requests() {
    return requests.get();
  }

  Result stop() throws InterruptedException {
    stopping.set(true);
    for (Thread thread : threads) thread.join(10_000);
    List<String> moved =
        pods.entrySet().stream()
            .filter(e -> e.getValue().size() > 1)
            .map(e -> e.getKey() + " " + e.getValue())
            .toList();
    return new Result(requests.get(), failures.get(), List.copyOf(failedSentAt), moved);
  }
}
