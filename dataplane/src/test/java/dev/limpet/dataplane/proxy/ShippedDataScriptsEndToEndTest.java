package dev.limpet.dataplane.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.limpet.dataplane.testing.Client;
import dev.limpet.dataplane.testing.FreePorts;
import dev.limpet.dataplane.testing.ProxyFixture;
import dev.limpet.testsupport.Backend;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The DataScripts a user reads first, run verbatim from the files they are shipped in: the README's
 * DataScripts section and the DataScript resources of {@code examples/}. The Lua is read from those
 * files (the README's YAML block, the example's {@code kind: DataScript} document), never copied
 * here, and run by a real data plane against real backends on 127.0.0.x.
 */
@Timeout(120)
class ShippedDataScriptsEndToEndTest {
  private static final Path REPOSITORY = Path.of("..");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private ProxyFixture fx;

  @AfterEach
  void stop() {
    if (fx != null) fx.close();
  }

  @Test
  void theReadmesDataScriptPinsEachClientAndAnswersWhenNoServerCan() throws Exception {
    JsonNode readme = readmeDataScriptsBlock();
    JsonNode script = readme.get("dataScripts").get(0);
    fx = new ProxyFixture(2, 95, "s1", "s2", "s3");
    String pool = script.get("pools").get(0).get("pool").asText();
    fx.dataPlane.apply(config(script, pool, servers(fx.backends), JSON.createArrayNode()));

    Set<String> firsts = new HashSet<>();
    for (int c = 1; c <= 9; c++) {
      String client = "198.18.2." + c;
      String first = Client.backend(fx.client().get("/", "True-Client-IP", client));
      for (int i = 0; i < 20; i++)
        assertThat(Client.backend(fx.client().get("/", "True-Client-IP", client))).isEqualTo(first);
      firsts.add(first);
    }
    assertThat(firsts).containsExactlyInAnyOrder("s1", "s2", "s3");

    // httpResponseFailed: the only server refuses connections
    ArrayNode nobody = JSON.createArrayNode();
    nobody.addObject().put("name", "gone").put("ip", "127.0.0.99").put("port", FreePorts.next());
    fx.dataPlane.apply(config(script, pool, nobody, JSON.createArrayNode()));
    HttpResponse<String> failed = fx.client().get("/");
    assertThat(failed.statusCode()).isEqualTo(503);
    assertThat(failed.headers().firstValue("retry-after")).contains("30");
    assertThat(failed.body()).isEqualTo("back soon\n");
  }

  @Test
  void theHeaderPersistenceExamplePinsAndFollowsHealth() throws Exception {
    List<JsonNode> example = example("datascript-header-persistence");
    JsonNode script = dataScript(example);
    JsonNode monitors = kind(example, "Pool").get("spec").get("healthMonitors");
    fx = new ProxyFixture(2, 98, "s1", "s2", "s3");
    String pool = script.get("pools").get(0).get("pool").asText();
    fx.dataPlane.apply(config(script, pool, servers(fx.backends), monitors));

    Set<String> firsts = new HashSet<>();
    for (int c = 1; c <= 9; c++) {
      String client = "198.18.3." + c;
      String first = Client.backend(fx.client().get("/", "True-Client-IP", client));
      for (int i = 0; i < 20; i++)
        assertThat(Client.backend(fx.client().get("/", "True-Client-IP", client))).isEqualTo(first);
      firsts.add(first);
    }
    assertThat(firsts).containsExactlyInAnyOrder("s1", "s2", "s3");

    String pinned = Client.backend(fx.client().get("/", "True-Client-IP", "198.18.4.1"));
    fx.backend(pinned).answer(503); // its health monitor now fails
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                !Client.backend(fx.client().get("/", "True-Client-IP", "198.18.4.1"))
                    .equals(pinned));
    String moved = Client.backend(fx.client().get("/", "True-Client-IP", "198.18.4.1"));
    for (int i = 0; i < 10; i++)
      assertThat(Client.backend(fx.client().get("/", "True-Client-IP", "198.18.4.1")))
          .isEqualTo(moved);
  }

  @Test
  void theJsessionidExampleLearnsEachSessionAndPinsIt() throws Exception {
    JsonNode script = dataScript(example("datascript-jsessionid"));
    fx = new ProxyFixture(2, 101, "s1", "s2", "s3");
    String pool = script.get("pools").get(0).get("pool").asText();
    fx.dataPlane.apply(config(script, pool, servers(fx.backends), JSON.createArrayNode()));

    Set<String> learnedOn = new HashSet<>();
    for (int c = 0; c < 6; c++) {
      HttpResponse<String> login = fx.client().get("/login");
      String cookie = login.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
      learnedOn.add(Client.backend(login));
      for (int i = 0; i < 20; i++)
        assertThat(Client.backend(fx.client().get("/", "Cookie", cookie)))
            .isEqualTo(Client.backend(login));
    }
    assertThat(learnedOn).containsExactlyInAnyOrder("s1", "s2", "s3");
    assertThat(fx.dataPlane.tableSizes()).containsEntry("script/web/sessions", 6);
  }

  /** The YAML block of the README's "DataScripts" section, parsed. */
  private static JsonNode readmeDataScriptsBlock() throws IOException {
    String readme = Files.readString(REPOSITORY.resolve("README.md"));
    String section = readme.substring(readme.indexOf("\n## DataScripts\n"));
    Matcher block = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(section);
    assertThat(block.find()).as("a yaml block in the README's DataScripts section").isTrue();
    return YAML.readTree(block.group(1));
  }

  /** The documents of {@code examples/<name>/<name>.yaml}. */
  private static List<JsonNode> example(String name) throws IOException {
    Path file = REPOSITORY.resolve("examples").resolve(name).resolve(name + ".yaml");
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      return YAML.readValues(parser, JsonNode.class).readAll();
    }
  }

  private static JsonNode kind(List<JsonNode> documents, String kind) {
    return documents.stream()
        .filter(d -> kind.equals(d.path("kind").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " in the example"));
  }

  /** The DataScript resource as the data plane's configuration spells it: name + spec. */
  private static JsonNode dataScript(List<JsonNode> documents) {
    JsonNode resource = kind(documents, "DataScript");
    ObjectNode script = ((ObjectNode) resource.get("spec")).deepCopy();
    script.put("name", resource.get("metadata").get("name").asText());
    return script;
  }

  private static ArrayNode servers(List<Backend> backends) {
    ArrayNode servers = JSON.createArrayNode();
    for (Backend b : backends)
      servers
          .addObject()
          .put("name", b.name())
          .put("ip", b.ip())
          .put("port", b.port())
          .put("headerValue", b.name());
    return servers;
  }

  /** One virtual service on the fixture's port running {@code script} over {@code pool}. */
  private String config(JsonNode script, String pool, ArrayNode servers, JsonNode monitors)
      throws IOException {
    ObjectNode config = JSON.createObjectNode();
    config
        .putArray("virtualServices")
        .addObject()
        .put("name", "web")
        .put("address", "127.0.0.1")
        .put("port", fx.port)
        .put("pool", pool)
        .putArray("dataScripts")
        .add(script.get("name").asText());
    ObjectNode poolNode = config.putArray("pools").addObject().put("name", pool);
    poolNode.set("servers", servers);
    ArrayNode monitorNames = poolNode.putArray("healthMonitors");
    ArrayNode monitorList = config.putArray("healthMonitors");
    for (JsonNode m : monitors) {
      monitorNames.add(m.get("name").asText());
      monitorList.add(m);
    }
    config.putArray("dataScripts").add(script);
    return JSON.writeValueAsString(config);
  }
}
