package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Globals and reqvar belong to one transaction, whatever runs at the same time elsewhere. */
@Timeout(60)
class TransactionIsolationTest {
  private static final int THREADS = 8;
  private static final int TRANSACTIONS_PER_THREAD = 300;
  private static final int OPEN_AT_ONCE = 4;

  private static String client(int thread, int transaction) {
    return "c-" + thread + "-" + transaction;
  }

  @Test
  void aGlobalSetInTheRequestIsReadInTheSameTransactionsResponseOnly() throws Exception {
    var h = new ScriptHarness();
    // the documented pattern: a plain global assigned in HTTP_REQ, read in HTTP_RESP
    h.script(
        "sticky",
        """
        client = avi.http.get_header('X-Client')
        server = avi.vs.table_lookup(client)
        avi.vs.reqvar.client = client
        """,
        """
        if not server then avi.vs.table_insert(client, 'seen') end
        avi.vs.log(client, avi.vs.reqvar.client, tostring(server))
        """,
        null);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<List<String>>> mismatches = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        mismatches.add(
            pool.submit(
                () -> {
                  start.await();
                  List<String> wrong = new ArrayList<>();
                  // several transactions open at once on each thread, answered out of order
                  for (int i = 0; i < TRANSACTIONS_PER_THREAD; i += OPEN_AT_ONCE) {
                    List<FakeExchange> exchanges = new ArrayList<>();
                    List<ScriptTransaction> transactions = new ArrayList<>();
                    for (int j = i; j < i + OPEN_AT_ONCE; j++) {
                      var exchange = new FakeExchange("/").header("X-Client", client(thread, j));
                      var tx = new ScriptTransaction();
                      h.run(ScriptEvent.HTTP_REQ, tx, exchange);
                      exchanges.add(exchange);
                      transactions.add(tx);
                    }
                    for (int j = OPEN_AT_ONCE - 1; j >= 0; j--) {
                      var exchange = exchanges.get(j).respond(200, h.a);
                      h.run(ScriptEvent.HTTP_RESP, transactions.get(j), exchange);
                      String client = client(thread, i + j);
                      List<String> logged = ScriptHarness.logged(exchange);
                      if (!logged.equals(List.of(client + " " + client + " nil")))
                        wrong.add(client + " -> " + logged);
                    }
                  }
                  return wrong;
                }));
      }
      start.countDown();
      for (var f : mismatches) assertThat(f.get()).isEmpty();
    } finally {
      pool.shutdownNow();
    }
    assertThat(h.failures).isEmpty();
    assertThat(h.tables.table("").entries).hasSize(THREADS * TRANSACTIONS_PER_THREAD);
  }

  @Test
  void eachScriptHasItsOwnGlobalsButReqvarIsShared() {
    var h = new ScriptHarness();
    h.script("one", "x = 'one' avi.vs.reqvar.v = 'shared'", null, null);
    h.script("two", "avi.vs.log(tostring(x), avi.vs.reqvar.v)", null, null);
    var exchange = new FakeExchange("/");
    h.request(exchange);
    assertThat(ScriptHarness.logged(exchange)).containsExactly("nil shared");
  }

  @Test
  void functionsDefinedInTheRequestAreCallableInTheResponseAndStillMetered() {
    var h = new ScriptHarness();
    h.script("f", "function spin() while true do end end", "spin()", null);
    var tx = new ScriptTransaction();
    var exchange = new FakeExchange("/");
    h.run(ScriptEvent.HTTP_REQ, tx, exchange);
    var result = h.run(ScriptEvent.HTTP_RESP, tx, exchange.respond(200, h.a));
    assertThat(result.action()).isInstanceOf(ScriptResult.Failed.class);
    assertThat(h.failures.get(0).reason()).isEqualTo("instructions");
  }

  @Test
  void aTransactionMovedToAnotherThreadIsRefused() throws Exception {
    var h = new ScriptHarness();
    h.script("s", "x = 1", "avi.vs.log(x)", null);
    var tx = new ScriptTransaction();
    var exchange = new FakeExchange("/");
    h.run(ScriptEvent.HTTP_REQ, tx, exchange);
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      Future<?> moved =
          other.submit(() -> h.run(ScriptEvent.HTTP_RESP, tx, exchange.respond(200, h.a)));
      assertThatThrownBy(moved::get).hasCauseInstanceOf(IllegalStateException.class);
    } finally {
      other.shutdownNow();
    }
  }
}
