package dev.limpet.dataplane.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link HeaderValueIndex} answers what a map of the value's {@code String} answers. */
@Timeout(30)
class HeaderValueIndexTest {
  private static String lookUp(HeaderValueIndex index, String value) {
    byte[] b = ("<<" + value + ">>").getBytes(StandardCharsets.ISO_8859_1);
    return index.get(b, 2, b.length - 2);
  }

  @Test
  void answersAsTheMapOfStrings() {
    Random random = new Random(14);
    for (int size : List.of(0, 1, 3, 17, 200)) {
      Map<String, String> map = new HashMap<>();
      for (int k = 0; k < size; k++) map.put(word(random), "server-" + k);
      HeaderValueIndex index = new HeaderValueIndex(map);
      for (String value : map.keySet()) assertThat(lookUp(index, value)).isEqualTo(map.get(value));
      for (int n = 0; n < 2_000; n++) {
        String probe = word(random);
        assertThat(lookUp(index, probe)).as(probe).isEqualTo(map.get(probe));
      }
    }
  }

  @Test
  void oddValues() {
    Map<String, String> map =
        Map.of("", "empty", "\u00ff", "latin", "\u0100", "wide", "Aa", "a", "BB", "b");
    HeaderValueIndex index = new HeaderValueIndex(map);
    assertThat(lookUp(index, "")).isEqualTo("empty");
    assertThat(lookUp(index, "\u00ff")).isEqualTo("latin");
    assertThat(lookUp(index, "Aa")).as("same String hash as BB").isEqualTo("a");
    assertThat(lookUp(index, "BB")).isEqualTo("b");
    assertThat(lookUp(index, "aa")).isNull();
    assertThat(lookUp(index, "?")).as("U+0100 is no byte").isNull();
  }

  private static String word(Random random) {
    StringBuilder word = new StringBuilder();
    int length = random.nextInt(5);
    for (int i = 0; i < length; i++) word.append("ab\u00ffZ.1".charAt(random.nextInt(6)));
    return word.toString();
  }
}
