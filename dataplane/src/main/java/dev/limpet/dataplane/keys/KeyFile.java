package dev.limpet.dataplane.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A key file mounted from a Kubernetes Secret (cookie keys, TLS ticket keys): {@code {"<list>":
 * [{"id": "...", "secret": "<base64>"}, ...]}}, newest first, ids unique.
 */
public final class KeyFile {
  private KeyFile() {}

  /** One key: its id and its decoded secret. */
  public record Entry(String id, byte[] secret) {}

  /**
   * The entries of {@code list} in {@code json}.
   *
   * @param lengths the secret lengths allowed, in bytes
   * @param where what the file is, for messages (e.g. {@code cookie key file /keys/keys.json})
   * @throws IllegalArgumentException naming {@code where} and the faulty field
   */
  public static List<Entry> parse(String json, String list, Set<Integer> lengths, String where) {
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
    }
    JsonNode items = root == null ? null : root.get(list);
    if (items == null || !items.isArray() || items.isEmpty())
      throw new IllegalArgumentException(where + ": " + list + " must be a non-empty list");
    List<Entry> entries = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < items.size(); i++) {
      String field = where + ": " + list + "[" + i + "]";
      String id = text(items.get(i), "id", field);
      if (!ids.add(id))
        throw new IllegalArgumentException(field + ".id: '" + id + "' is used twice");
      byte[] secret;
      try {
        secret = Base64.getDecoder().decode(text(items.get(i), "secret", field));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(field + ".secret: not base64", e);
      }
      if (!lengths.contains(secret.length))
        throw new IllegalArgumentException(
            field
                + ".secret: must be "
                + new TreeSet<>(lengths)
                    .stream().map(String::valueOf).collect(Collectors.joining(" or "))
                + " bytes, found "
                + secret.length);
      entries.add(new Entry(id, secret));
    }
    return entries;
  }

  private static String text(JsonNode entry, String name, String field) {
    JsonNode value = entry == null ? null : entry.get(name);
    if (value == null || !value.isTextual() || value.asText().isBlank())
      throw new IllegalArgumentException(field + "." + name + ": a non-empty string is required");
    return value.asText();
  }
}
