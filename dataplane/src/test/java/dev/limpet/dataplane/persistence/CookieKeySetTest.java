package dev.limpet.dataplane.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class CookieKeySetTest {
  private static final String KEY16 = Base64.getEncoder().encodeToString(new byte[16]);
  private static final String KEY32 = Base64.getEncoder().encodeToString(new byte[32]);

  @TempDir Path dir;

  @Test
  void loadsKeysNewestFirst() throws IOException {
    CookieKeySet keys =
        load(
            "{\"cookieKeys\":[{\"id\":\"2025-11\",\"secret\":\""
                + KEY32
                + "\"},{\"id\":\"2025-10\",\"secret\":\""
                + KEY16
                + "\"}]}");
    assertThat(keys.ids()).containsExactly("2025-11", "2025-10");
    assertThat(keys.newest().id()).isEqualTo("2025-11");
    CookieCodec codec = new CookieCodec(keys, "web");
    assertThat(codec.decode(codec.encode("10.0.0.1:80", 1L))).isPresent();
  }

  @Test
  void aRandomSetWorksAndDiffersEachTime() {
    CookieCodec one = new CookieCodec(CookieKeySet.random(), "web");
    CookieCodec two = new CookieCodec(CookieKeySet.random(), "web");
    String value = one.encode("10.0.0.1:80", 1L);
    assertThat(one.decode(value)).isPresent();
    assertThat(two.decode(value)).isEmpty();
  }

  @Test
  void aMissingFileNamesTheFile() {
    Path missing = dir.resolve("nope.json");
    assertThatThrownBy(() -> CookieKeySet.load(missing))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void badContentIsReportedByField() {
    assertProblem("not json", "cookie key file");
    assertProblem("{}", "cookieKeys must be a non-empty list");
    assertProblem("{\"cookieKeys\":[]}", "cookieKeys must be a non-empty list");
    assertProblem("{\"cookieKeys\":{}}", "cookieKeys must be a non-empty list");
    assertProblem("{\"cookieKeys\":[{\"secret\":\"" + KEY16 + "\"}]}", "cookieKeys[0].id");
    assertProblem("{\"cookieKeys\":[{\"id\":\"a\"}]}", "cookieKeys[0].secret");
    assertProblem(
        "{\"cookieKeys\":[{\"id\":\"a\",\"secret\":\"%%%\"}]}", "cookieKeys[0].secret: not base64");
    assertProblem(
        "{\"cookieKeys\":[{\"id\":\"a\",\"secret\":\""
            + Base64.getEncoder().encodeToString(new byte[24])
            + "\"}]}",
        "cookieKeys[0].secret: must be 16 or 32 bytes, found 24");
    assertProblem(
        "{\"cookieKeys\":[{\"id\":\"a\",\"secret\":\""
            + KEY16
            + "\"},{\"id\":\"a\",\"secret\":\""
            + KEY16
            + "\"}]}",
        "cookieKeys[1].id: 'a' is used twice");
  }

  private void assertProblem(String json, String message) {
    assertThatThrownBy(() -> load(json)).hasMessageContaining(message);
  }

  private CookieKeySet load(String json) throws IOException {
    Path file = Files.writeString(dir.resolve("keys.json"), json);
    return CookieKeySet.load(file);
  }
}
