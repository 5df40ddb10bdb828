package dev.limpet.dataplane.script;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.contract.DataScriptConfig.IpGroup;
import dev.limpet.contract.DataScriptConfig.PoolRef;
import dev.limpet.dataplane.script.ScriptResult.Close;
import dev.limpet.dataplane.script.ScriptResult.LocalResponse;
import dev.limpet.dataplane.script.ScriptResult.Proceed;
import dev.limpet.dataplane.script.ScriptResult.Redirect;
import dev.limpet.dataplane.upstream.Server;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every example script of Avi's DataScript guide, each kept verbatim in {@code
 * src/test/resources/avi-examples/} with the page it comes from, run against realistic exchanges
 * and held to the effect the guide documents. {@code <name>.lua} is the HTTP_REQ event, {@code
 * <name>.resp.lua} the HTTP_RESP event.
 */
class AviGuideExamplesTest {
  private static final String DIRECTORY = "/avi-examples/";

  /** One documented example: what the virtual service needs, and the documented effect. */
  record Example(String name, Consumer<ScriptHarness> setup, Consumer<ScriptHarness> effect) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Example> examples() {
    return Stream.of(
        new Example(
            "overview-docs-redirect",
            h -> {},
            h -> {
              assertThat(h.request(new FakeExchange("/docs/guide.html")).action())
                  .isEqualTo(new Redirect("http://docs.avinetworks.com/index.html", 302));
              assertThat(h.request(new FakeExchange("/shop")).action()).isInstanceOf(Proceed.class);
            }),
        new Example(
            "ipgroup-blacklist",
            h -> h.ipGroups.add(new IpGroup("IP-Group", List.of("192.0.2.0/24", "10.10.10.10"))),
            h -> {
              FakeExchange listed = new FakeExchange("/login");
              assertThat(h.request(listed).close()).isEqualTo(Close.FIN);
              assertThat(ScriptHarness.logged(listed))
                  .containsExactly("Blacklisted IP192.0.2.7attempting to log in");
              FakeExchange other = new FakeExchange("/login");
              other.client = new InetSocketAddress("198.51.100.1", 40000);
              assertThat(h.request(other).close()).isEqualTo(Close.NONE);
            }),
        new Example(
            "pool-server-down-redirect",
            h -> {
              h.morePools.add(new PoolRef("web-pool", null));
              h.pools.put("web-pool", List.of(ScriptHarness.server("w1", "10.1.1.1", 80, false)));
            },
            h -> {
              assertThat(h.request(new FakeExchange("/cart?item=7")).action())
                  .isInstanceOf(Proceed.class);
              h.pools.get("web-pool").get(0).setHealthy(false);
              assertThat(h.request(new FakeExchange("/cart?item=7")).action())
                  .isEqualTo(new Redirect("backupsite.com/cart?item=7", 302));
            }),
        new Example(
            "get-header-shellshock-close",
            h -> {},
            h -> {
              var attack = new FakeExchange("/").header("User-Agent", "() { :; }; /bin/eject");
              assertThat(h.request(attack).close()).isEqualTo(Close.FIN);
              var fine = new FakeExchange("/").header("User-Agent", "curl/8");
              assertThat(h.request(fine).close()).isEqualTo(Close.NONE);
            }),
        new Example(
            "response-shellshock-404",
            h -> {},
            h -> {
              var attack = new FakeExchange("/").header("User-Agent", "() { :; }; /bin/eject");
              var reply = (LocalResponse) h.request(attack).action();
              assertThat(reply.status()).isEqualTo(404);
              assertThat(reply.headers().getAll("Content-Type")).containsExactly("text/html");
              assertThat(new String(reply.body(), StandardCharsets.UTF_8))
                  .isEqualTo("Blocking Shellshock Attack!");
              var fine = new FakeExchange("/").header("User-Agent", "curl/8");
              assertThat(h.request(fine).action()).isInstanceOf(Proceed.class);
            }),
        new Example(
            "basic-auth-userid",
            h -> {},
            h -> {
              var tx = new ScriptTransaction();
              h.run(
                  ScriptEvent.HTTP_REQ,
                  tx,
                  new FakeExchange("/").header("Authorization", "Basic YWxpY2U6c2VjcmV0"));
              assertThat(tx.userId()).isEqualTo("alice");
              var anonymous = new ScriptTransaction();
              h.run(ScriptEvent.HTTP_REQ, anonymous, new FakeExchange("/"));
              assertThat(anonymous.userId()).isNull();
            }),
        new Example(
            "events-request-context",
            h -> {},
            h -> {
              Server b = h.b;
              var marked = new FakeExchange("/").header("My_Header", "1").respond(200, b);
              assertThat(h.run(ScriptEvent.HTTP_RESP, new ScriptTransaction(), marked).close())
                  .isEqualTo(Close.FIN);
              var plain = new FakeExchange("/").respond(200, b).responseHeader("my_header", "1");
              assertThat(h.run(ScriptEvent.HTTP_RESP, new ScriptTransaction(), plain).close())
                  .isEqualTo(Close.NONE);
            }),
        new Example(
            "table-insert-server-ip",
            h -> {},
            h -> {
              var login =
                  new FakeExchange("/login")
                      .respond(200, h.b)
                      .responseHeader("Set-Cookie", "JSESSIONID=abc; Path=/");
              h.run(ScriptEvent.HTTP_RESP, new ScriptTransaction(), login);
              assertThat(h.tables.defaultTable().lookup("abc", 0).value()).isEqualTo("10.0.0.2");
            }),
        new Example(
            "custom-persistence-jsessionid",
            h -> {
              h.morePools.add(new PoolRef("web", "poolname"));
              h.pools.put("web", List.of(h.a, h.b));
            },
            h -> {
              var learn = new ScriptTransaction();
              var login = new FakeExchange("/login");
              h.run(ScriptEvent.HTTP_REQ, learn, login);
              login.respond(200, h.b).responseHeader("Set-Cookie", "JSESSIONID=abc; Path=/");
              h.run(ScriptEvent.HTTP_RESP, learn, login);
              for (int i = 0; i < 5; i++)
                assertThat(
                        h.request(new FakeExchange("/").header("Cookie", "JSESSIONID=abc"))
                            .selection())
                    .isEqualTo(new PoolSelection("web", h.b));
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void runsVerbatimWithTheDocumentedEffect(Example example) throws IOException {
    ScriptHarness harness = new ScriptHarness();
    example.setup().accept(harness);
    String request = read(example.name() + ".lua");
    String response = read(example.name() + ".resp.lua");
    assertThat(request != null || response != null)
        .as("no script file for " + example.name())
        .isTrue();
    harness.script(example.name(), request, response, null);
    example.effect().accept(harness);
    assertThat(harness.failures).isEmpty();
  }

  /** A file added to the directory without a case here would be an example nobody ran. */
  @Test
  void everyExampleFileHasACase() throws IOException, URISyntaxException {
    Path directory = Path.of(getClass().getResource(DIRECTORY).toURI());
    Set<String> names;
    try (Stream<Path> files = Files.list(directory)) {
      names =
          files
              .map(f -> f.getFileName().toString().replaceAll("(\\.resp)?\\.lua$", ""))
              .collect(Collectors.toSet());
    }
    assertThat(names).containsExactlyInAnyOrderElementsOf(examples().map(Example::name).toList());
  }

  /** Each file names the page it was copied from. */
  @Test
  void everyExampleFileNamesItsSource() throws IOException, URISyntaxException {
    Path directory = Path.of(getClass().getResource(DIRECTORY).toURI());
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.toList())
        assertThat(Files.readString(file)).as(file.toString()).containsPattern("-- https?://");
    }
  }

  private static String read(String file) throws IOException {
    try (InputStream in = AviGuideExamplesTest.class.getResourceAsStream(DIRECTORY + file)) {
      return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
