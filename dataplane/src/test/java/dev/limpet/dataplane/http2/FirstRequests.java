package dev.limpet.dataplane.http2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.dataplane.testing.RawH2;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * What the tests of many first requests on one HTTP/2 connection share: how many streams open at
 * once, the DataScripts that pin a client by a table, a proxy with three backends that runs them,
 * and how streams are opened and answered.
 */
final class FirstRequests {
  /** Streams opened in one write, as a browser opens its first requests. */
  static final int COUNT = 20;

  /**
   * The Avi idiom for client-IP persistence in DataScripts: look up in HTTP_REQ, learn in
   * HTTP_RESP.
   */
  static final String CLIENT_IP_TABLE =
      """
      dataScripts:
        - name: pin
          pools: [{pool: web}]
          events:
            httpRequest: |
              local pinned = avi.vs.table_lookup(avi.vs.client_ip())
              if pinned then
                local ip, port = pinned:match("^(.+):(%d+)$")
                avi.pool.select("web", ip, port)
              end
            httpResponse: |
              local ip, port = avi.pool.get_server_info()
              avi.vs.table_insert(avi.vs.client_ip(), ip .. ":" .. port, 300)
      """;

  private FirstRequests() {}

  /**
   * A proxy with backends a, b and c balanced round robin in pool web, the DataScript {@code pin}
   * of {@code scripts} on an h2c virtual service with the given upstream response timeout, and
   * {@code extraPools} (pool entries, each followed by ", ") before web.
   */
  static ProxyFixture scripted(int firstAddress, int responseMs, String extraPools, String scripts)
      throws Exception {
    return scripted(firstAddress, "upstreamResponseMs: " + responseMs, extraPools, scripts);
  }

  /** The same, with the virtual service's {@code timeouts} given as their YAML fields. */
  static ProxyFixture scripted(int firstAddress, String timeouts, String extraPools, String scripts)
      throws Exception {
    ProxyFixture fx = new ProxyFixture(2, firstAddress, "a", "b", "c");
    fx.apply(
        ("virtualServices: [{name: web, address: 127.0.0.1, port: ${port}, pool: web,"
                    + " dataScripts: [pin], timeouts: {%s}, http2: {enabled: true}}]\n"
                    + "pools: [%s{name: web, servers: %s}]\n")
                .formatted(timeouts, extraPools, fx.servers())
            + scripts);
    return fx;
  }

  /** Opens {@link #COUNT} streams from {@code firstStream} for {@code path} in one write. */
  static Map<Integer, RawH2.Frame> send(RawH2 h2, int firstStream, String path) throws Exception {
    for (int i = 0; i < COUNT; i++)
      h2.headers(firstStream + 2 * i, RawH2.END_STREAM | RawH2.END_HEADERS, RawH2.get(path));
    h2.flush();
    Map<Integer, RawH2.Frame> answers = h2.answers(streams(firstStream, COUNT), 400);
    assertThat(answers).hasSize(COUNT);
    answers.values().forEach(f -> assertThat(f.headers().status().toString()).isEqualTo("200"));
    return answers;
  }

  /** The ids of {@code count} client streams from {@code first}. */
  static List<Integer> streams(int first, int count) {
    return IntStream.range(0, count).mapToObj(i -> first + 2 * i).toList();
  }

  /** The backends that answered. */
  static Set<String> backends(Map<Integer, RawH2.Frame> answers) {
    Set<String> names = new HashSet<>();
    answers.values().forEach(f -> names.add(f.headers().get("x-backend").toString()));
    return names;
  }
}
