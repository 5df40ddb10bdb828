package dev.limpet.dataplane.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.limpet.dataplane.proxy.ScannedFields;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link CookieFinder} finds, in a field's bytes, the values {@link CookieHeaders} reads. */
@Timeout(30)
class CookieFinderTest {
  private static final List<String> NAMES =
      List.of("SRV", "srv", "a", "$Version", "$Path", "$Pathx", "$Port", "$Domain", "\"", " a", "");

  /** What the String path answers: Netty's lax decoder over the whole header. */
  private static List<String> expected(String header, String name) {
    List<String> values = new ArrayList<>();
    for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(header))
      if (name.equals(cookie.name())) values.add(cookie.value());
    return values;
  }

  /** What the finder answers, with the header placed inside a larger array as a field would be. */
  private static List<String> found(String header, String name) {
    byte[] field = header.getBytes(StandardCharsets.ISO_8859_1);
    byte[] section = new byte[field.length + 6];
    System.arraycopy(field, 0, section, 3, field.length);
    section[0] = section[field.length + 3] = 'x';
    section[1] = section[field.length + 4] = ';';
    section[2] = section[field.length + 5] = '"';
    int start = 3;
    int end = 3 + field.length;
    CookieFinder finder = new CookieFinder(name);
    List<String> values = new ArrayList<>();
    int guard = 0;
    for (long span = finder.next(section, start, end, start);
        span >= 0;
        span = finder.next(section, start, end, CookieFinder.resumeAt(span))) {
      assertThat(++guard).as("a finite scan").isLessThan(1_000);
      int from = CookieFinder.valueStart(section, span);
      int to = CookieFinder.valueEnd(section, span);
      values.add(new String(section, from, to - from, StandardCharsets.ISO_8859_1));
    }
    return values;
  }

  private static void same(String header) {
    for (String name : NAMES)
      assertThat(found(header, name))
          .as("%s in [%s]", name, header)
          .isEqualTo(expected(header, name));
  }

  @Test
  void oddHeadersReadAsNettyReadsThem() {
    for (String header :
        List.of(
            "SRV=s1",
            "SRV=s1; JSESSIONID=ABCDEF.s1",
            "a=1; SRV=s1; SRV=s2",
            "SRV=\"quoted\"",
            "SRV=\"\"",
            "SRV=\"",
            "SRV=\"open; SRV=next",
            "SRV=\"a\"b; SRV=c",
            "SRV=",
            "SRV=; a=",
            "SRV",
            "SRV;a=1",
            "=v; SRV=x",
            ";;==;\"garbage \u00ff",
            " , ;SRV=x , y",
            "SRV =x; SRV= y ;SRV=z ",
            "SRV=a=b=c",
            "SRV=x,SRV=y",
            "SRV=\ttab",
            "$Version=1; SRV=x; $Path=/; $Domain=d; $Port=1; $Pathx=2",
            "$version=\"1\"; SRV=x",
            "$Version",
            "$Version=1",
            "$VERSION; $Path=/; a=1",
            "a=1; $Path=/; $Version=1",
            "\"=1; \"\"=2",
            "srv=lower; SRV=upper",
            "SRV\r=1; SRV \t =2; S RV=3; \u00a0SRV=4",
            "SRV=\u00e9t\u00e9; \u00ff=1")) same(header);
  }

  @Test
  void randomHeadersReadAsNettyReadsThem() {
    String[] pieces = {
      "SRV",
      "srv",
      "a",
      "=",
      ";",
      ",",
      " ",
      "\t",
      "\"",
      "$Version",
      "$Path",
      "$Port",
      "$Domain",
      "x",
      "1",
      "\u00ff",
      "=\"",
      "\";",
      "\r",
      "\n",
      "\f",
      "\u000b",
      "$",
      "V"
    };
    Random random = new Random(14);
    for (int n = 0; n < 20_000; n++) {
      StringBuilder header = new StringBuilder();
      int length = random.nextInt(12);
      for (int k = 0; k < length; k++) header.append(pieces[random.nextInt(pieces.length)]);
      same(header.toString());
    }
  }

  @Test
  void aNameNoByteSpellsMatchesNothing() {
    assertThat(found("\u0100=1; SRV=2", "\u0100")).isEmpty();
    assertThat(found("\u0100=1; SRV=2", "SRV")).containsExactly("2");
  }

  @Test
  void agreesWithCookieHeadersOverAWholeRequest() {
    HttpHeaders headers = new DefaultHttpHeaders();
    headers.add(HttpHeaderNames.COOKIE, "SRV=one; b=2");
    assertThat(found("SRV=one; b=2", "SRV")).isEqualTo(CookieHeaders.values(headers, "SRV"));
  }

  @Test
  void valuesOfAWholeRequestAreThoseOfCookieHeaders() {
    String[][] requests = {
      {"Cookie", "SRV=1; a=2", "Accept", "*/*", "cookie", "SRV=\"3\"; SRV=4"},
      {"Cookie", "a=1"},
      {},
      {"COOKIE", "$Version=1; SRV=5; $Path=/"},
    };
    for (String[] fields : requests) {
      HttpHeaders scanned = ScannedFields.of(fields);
      assertThat(scanned).isInstanceOf(FieldBytes.class);
      HttpHeaders plain = new DefaultHttpHeaders();
      for (int i = 0; i < fields.length; i += 2) plain.add(fields[i], fields[i + 1]);
      assertThat(new CookieFinder("SRV").values(scanned))
          .isEqualTo(CookieHeaders.values(plain, "SRV"));
      scanned.add(HttpHeaderNames.COOKIE, "SRV=added");
      plain.add(HttpHeaderNames.COOKIE, "SRV=added");
      assertThat(new CookieFinder("SRV").values(scanned))
          .as("an added field comes after the received ones")
          .isEqualTo(CookieHeaders.values(plain, "SRV"))
          .endsWith("added");
    }
  }
}
