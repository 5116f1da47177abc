package dev.jitaccess.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.jitaccess.Permission;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** How a raw HTTP path becomes a resource, and every form that is refused. */
class RequestPathTest {
  private static final String ALPHABET =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:@+=,";

  @ParameterizedTest
  @CsvSource({
      "/orders/42, orders/42",
      "/orders, orders",
      "/orders/42/lines, orders/42/lines",
      "/a%41b, aAb",
      "/user%40example.com, user@example.com",
      "/%7Eme/x%3Ay, ~me/x:y",
      "/v1.2/a..b/.hidden, v1.2/a..b/.hidden",
      "/a+b, a+b",
  })
  void aWellFormedPathMapsToItsSegmentsDecodedOnce(String raw, String resource) {
    RequestPath path = RequestPath.parse(raw);
    assertNull(path.problem(), () -> raw + " was refused: " + path.problem());
    assertEquals(resource, path.resource());
  }

  @Test
  void theContextPathAndLeadingSlashAreStripped() {
    assertEquals("orders/42", RequestPath.parse("/shop/orders/42", "/shop").resource());
    assertEquals(WebDenialCode.PATH_MALFORMED, RequestPath.parse("/other/orders", "/shop").problem());
  }

  @Test
  void theRootHasNoSegments() {
    assertEquals(List.of(), RequestPath.parse("/").segments());
    assertEquals(List.of(), RequestPath.parse("").segments());
  }

  @ParameterizedTest(name = "{0} is refused as {1}")
  @CsvSource({
      "/orders%2F42, PATH_ENCODED_SLASH",
      "/orders%2f42, PATH_ENCODED_SLASH",
      "/orders%5C42, PATH_ENCODED_SLASH",
      "/orders/../admin, PATH_DOT_SEGMENT",
      "/orders/./42, PATH_DOT_SEGMENT",
      "/orders/%2e%2e/admin, PATH_DOT_SEGMENT",
      "/orders/%2E/42, PATH_DOT_SEGMENT",
      "/orders/.%2e, PATH_DOT_SEGMENT",
      "/orders/%00, PATH_CONTROL_CHARACTER",
      "/orders/4%0A2, PATH_CONTROL_CHARACTER",
      "/orders/4%7F2, PATH_CONTROL_CHARACTER",
      "/orders//42, PATH_EMPTY_SEGMENT",
      "/orders/, PATH_EMPTY_SEGMENT",
      "//orders, PATH_EMPTY_SEGMENT",
      "/orders%252F42, PATH_DOUBLE_ENCODING",
      "/orders/%25, PATH_DOUBLE_ENCODING",
      "/orders/%2, PATH_BAD_ENCODING",
      "/orders/%zz, PATH_BAD_ENCODING",
      "/orders/%, PATH_BAD_ENCODING",
      "/orders/%\uFF11\uFF11, PATH_BAD_ENCODING",
      "/orders;jsessionid=1/42, PATH_PARAMETER",
      "/orders/42;x, PATH_PARAMETER",
      "/orders/*, PATH_FORBIDDEN_CHARACTER",
      "/orders/4 2, PATH_FORBIDDEN_CHARACTER",
      "/orders/4%202, PATH_FORBIDDEN_CHARACTER",
      "/orders/%C3%A9, PATH_FORBIDDEN_CHARACTER",
      "/orders/\u00e9, PATH_FORBIDDEN_CHARACTER",
      "/orders/a\\b, PATH_FORBIDDEN_CHARACTER",
      "/orders/{id}, PATH_FORBIDDEN_CHARACTER",
      "/orders/%3B, PATH_FORBIDDEN_CHARACTER",
      "orders/42, PATH_MALFORMED",
  })
  void aPathAContainerCouldReadDifferentlyIsRefused(String raw, WebDenialCode code) {
    assertEquals(code, RequestPath.parse(raw).problem());
  }

  @Test
  void aControlCharacterWrittenLiterallyIsRefused() {
    assertEquals(WebDenialCode.PATH_CONTROL_CHARACTER, RequestPath.parse("/a\u0000b").problem());
    assertEquals(WebDenialCode.PATH_CONTROL_CHARACTER, RequestPath.parse("/a\tb").problem());
  }

  @Test
  void aPathLongerThanAResourceMayBeIsRefused() {
    String deep = "/a".repeat(Permission.MAX_SEGMENTS + 1);
    assertEquals(WebDenialCode.PATH_MALFORMED, RequestPath.parse(deep).problem());
    assertNull(RequestPath.parse("/a".repeat(Permission.MAX_SEGMENTS)).problem());
    assertEquals(WebDenialCode.PATH_MALFORMED,
        RequestPath.parse("/" + "a".repeat(Permission.MAX_LENGTH + 1)).problem());
  }

  /** Safe segments: grammar characters, never . or .., each possibly percent-encoded. */
  private static Gen<List<String>> safeSegments() {
    Gen<String> segment = lists().of(integers().between(0, ALPHABET.length() - 1))
        .ofSizeBetween(1, 8)
        .map(indexes -> {
          StringBuilder b = new StringBuilder();
          indexes.forEach(i -> b.append(ALPHABET.charAt(i)));
          return b.toString();
        })
        .assuming(s -> !s.equals(".") && !s.equals(".."));
    return lists().of(segment).ofSizeBetween(1, 8);
  }

  private static String encode(String segment, int mask) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if ((mask >>> (i % 31) & 1) == 1) {
        b.append('%').append(String.format(Locale.ROOT, (i & 1) == 0 ? "%02X" : "%02x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  @Test
  void everySafeSegmentListMapsToItsSegmentsJoinedEncodedOrNot() {
    qt().withExamples(2_000).forAll(safeSegments(), integers().all()).checkAssert((segments, mask) -> {
      List<String> raw = new ArrayList<>();
      segments.forEach(s -> raw.add(encode(s, mask)));
      RequestPath path = RequestPath.parse("/" + String.join("/", raw));
      assertNull(path.problem(), () -> raw + " refused: " + path.problem());
      assertEquals(String.join("/", segments), path.resource());
    });
  }

  @Test
  void anyForbiddenFormInsideASegmentIsRefused() {
    Gen<String> forms = Generate.pick(List.of("%2F", "%2f", "%5C", "%00", "%0A", "%0d", "%1F",
        "%7F", "%252F", "%25", "%zz", "%G1", ";", ";a=b", "%20", " ", "*", "%2A", "%C3%A9",
        "\u00e9", "\\", "?", "#", "%3F", "%23", "{", "\"", "<", "'"));
    qt().withExamples(2_000)
        .forAll(safeSegments(), integers().between(0, 64), forms, integers().between(0, 8))
        .checkAssert((segments, at, form, offset) -> {
          List<String> raw = new ArrayList<>(segments);
          int index = at % raw.size();
          String s = raw.get(index);
          int cut = Math.min(offset, s.length());
          raw.set(index, s.substring(0, cut) + form + s.substring(cut));
          String path = "/" + String.join("/", raw);
          assertNotNull(RequestPath.parse(path).problem(), () -> path + " was accepted");
        });
  }

  @Test
  void anyForbiddenWholeSegmentIsRefused() {
    Gen<String> forms = Generate.pick(List.of("", ".", "..", "%2e", "%2E", "%2e%2e", ".%2E",
        "%2e.", "%", "%2"));
    qt().withExamples(1_000).forAll(safeSegments(), integers().between(0, 64), forms)
        .checkAssert((segments, at, form) -> {
          List<String> raw = new ArrayList<>(segments);
          raw.add(at % (raw.size() + 1), form);
          String path = "/" + String.join("/", raw);
          assertNotNull(RequestPath.parse(path).problem(), () -> path + " was accepted");
        });
  }
}
