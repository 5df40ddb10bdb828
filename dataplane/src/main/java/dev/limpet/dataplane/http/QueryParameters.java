package dev.limpet.dataplane.http;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The one reader of query strings, on Netty's {@link QueryStringDecoder}: DataScripts ({@code
 * avi.http.get_query}) and persistence profiles (a session id in the URI) read a query the same
 * way. Form rules: {@code &} separates parameters ({@code ;} is data, as in browsers' forms), a
 * {@code +} is a space, escapes are UTF-8, a parameter without {@code =} has the value "".
 */
public final class QueryParameters {
  private QueryParameters() {}

  /**
   * The parameters of {@code rawQuery} (the text after {@code ?}; null or "" for none): name → its
   * values in order, names in order of first appearance.
   *
   * @throws IllegalArgumentException when a percent escape is malformed
   */
  public static Map<String, List<String>> of(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) return Map.of();
    return decoder(false).build(rawQuery).parameters();
  }

  /**
   * The parameters of the query of a request target ({@code /path?query}).
   *
   * @throws IllegalArgumentException when a percent escape is malformed
   */
  public static Map<String, List<String>> ofUri(String uri) {
    return decoder(true).build(uri).parameters();
  }

  private static QueryStringDecoder.Builder decoder(boolean hasPath) {
    return QueryStringDecoder.builder()
        .hasPath(hasPath)
        .charset(StandardCharsets.UTF_8)
        .semicolonIsNormalChar(true);
  }
}
