package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PermissionTest {

  @Test
  void singleStarMatchesExactlyOneSegment() {
    Permission p = Permission.parse("read:orders/*");
    assertTrue(p.permits("read", "orders/1"));
    assertFalse(p.permits("read", "orders"));
    assertFalse(p.permits("read", "orders/1/lines"));
  }

  @Test
  void finalDoubleStarMatchesZeroOrMoreFurtherSegments() {
    Permission p = Permission.parse("read:orders/**");
    assertTrue(p.permits("read", "orders"));
    assertTrue(p.permits("read", "orders/1"));
    assertTrue(p.permits("read", "orders/1/lines"));
    assertFalse(p.permits("read", "order"));
    assertFalse(p.permits("read", "ordersX/1"));
    assertFalse(p.permits("read", "invoices/1"));
  }

  @Test
  void literalSegmentsMatchExactlyAndCaseSensitively() {
    Permission p = Permission.parse("write:exports/2026-11/report.csv");
    assertTrue(p.permits("write", "exports/2026-11/report.csv"));
    assertFalse(p.permits("write", "exports/2026-11/Report.csv"));
    assertFalse(p.permits("write", "exports/2026-11/report.csv2"));
    assertFalse(p.permits("write", "exports/2026-11"));
  }

  @Test
  void actionMustMatchExactly() {
    Permission p = Permission.parse("read:orders/*");
    assertFalse(p.permits("Read", "orders/1"));
    assertFalse(p.permits("write", "orders/1"));
    assertFalse(p.permits("rea", "orders/1"));
  }

  @ParameterizedTest(name = "resource \"{0}\" is never permitted")
  @ValueSource(strings = {"", "/orders/1", "orders/1/", "orders//1", "orders/*", "orders/**",
      "orders/../secrets", "orders/.", "orders/1 ", "orders/%2F", "orders/a\nb", "orders/1\\2"})
  void malformedResourcesAreNeverPermitted(String resource) {
    assertFalse(Permission.parse("read:orders/**").permits("read", resource));
    assertFalse(Permission.parse("read:**").permits("read", resource));
  }

  @Test
  void nullActionOrResourceIsNeverPermitted() {
    Permission p = Permission.parse("read:**");
    assertFalse(p.permits(null, "orders"));
    assertFalse(p.permits("read", null));
  }

  @Test
  void resourceWithMoreThanTheSegmentLimitIsNotPermitted() {
    Permission p = Permission.parse("read:a/**");
    String deep = "a" + "/x".repeat(Permission.MAX_SEGMENTS);
    assertFalse(p.permits("read", deep));
    String limit = "a" + "/x".repeat(Permission.MAX_SEGMENTS - 1);
    assertTrue(p.permits("read", limit));
  }

  @ParameterizedTest(name = "\"{0}\" is rejected: {1}")
  @CsvSource(delimiter = '|', value = {
      "orders/1|must be written action:resource",
      "*:orders/1|action must be an exact name; wildcards are not allowed",
      "re*d:orders/1|action must be an exact name; wildcards are not allowed",
      ":orders/1|action must not be empty",
      "-read:orders|action must match",
      "read:|resource must not be empty",
      "read:orders/**/lines|may use ** only as its last segment",
      "read:**/lines|may use ** only as its last segment",
      "read:/orders|resource segment 1 must not be empty",
      "read:orders/|resource segment 2 must not be empty",
      "read:orders//1|resource segment 2 must not be empty",
      "read:orders/a*|may be * or ** as a whole",
      "read:orders/***|may be * or ** as a whole",
      "read:orders/..|must not be . or ..",
      "read:./orders|must not be . or ..",
      "read:orders/a b|must use only",
      "read:orders/%2F|must use only"})
  void malformedPermissionsAreRejectedNamingTheRule(String text, String rule) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Permission.parse(text));
    assertTrue(e.getMessage().contains(rule), () -> e.getMessage() + " should contain " + rule);
  }

  @Test
  void nullPermissionIsRejectedNamingTheField() {
    NullPointerException e = assertThrows(NullPointerException.class, () -> Permission.parse(null));
    assertEquals("permission must not be null", e.getMessage());
  }

  @Test
  void overLongPermissionIsRejected() {
    String text = "read:" + "a".repeat(Permission.MAX_LENGTH);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Permission.parse(text));
    assertTrue(e.getMessage().contains("must be at most 1024 characters"), e.getMessage());
  }

  @Test
  void overLongPermissionIsRejectedWhenBuiltFromItsPartsTooSoEveryPermissionReadsBack() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Permission.of("read", "x".repeat(Permission.MAX_LENGTH - 4)));
    assertTrue(e.getMessage().contains("must be at most 1024 characters, was 1025"),
        e.getMessage());
    Permission longest = Permission.of("read", "x".repeat(Permission.MAX_LENGTH - 5));
    assertEquals(longest, Permission.parse(longest.toString()));
    Scope scope = Scope.of(List.of(longest));
    assertEquals(scope, Scope.parse(scope.toString()));
  }

  @Test
  void overLongActionIsRejected() {
    String text = "r".repeat(Permission.MAX_ACTION_LENGTH + 1) + ":a";
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Permission.parse(text));
    assertTrue(e.getMessage().contains("action must be at most 64"), e.getMessage());
  }

  @Test
  void tooManySegmentsAreRejected() {
    String text = "read:a" + "/a".repeat(Permission.MAX_SEGMENTS);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Permission.parse(text));
    assertTrue(e.getMessage().contains("at most 64 segments"), e.getMessage());
  }

  @Test
  void canonicalFormReadsBack() {
    for (String text : new String[] {"read:orders/*", "read:**", "write:a/*/b/**", "x.y-z_1:a:b"}) {
      Permission p = Permission.parse(text);
      assertEquals(text, p.toString());
      assertEquals(p, Permission.parse(p.toString()));
    }
  }

  @Test
  void doubleStarAloneMatchesAnyWellFormedResource() {
    Permission p = Permission.parse("read:**");
    assertTrue(p.permits("read", "a"));
    assertTrue(p.permits("read", "a/b/c"));
  }

  @Test
  void singlePermissionSubsetFollowsTheLanguage() {
    assertTrue(Permission.parse("read:orders/1").isWithin(Permission.parse("read:orders/*")));
    assertTrue(Permission.parse("read:orders/*").isWithin(Permission.parse("read:orders/**")));
    assertTrue(Permission.parse("read:orders").isWithin(Permission.parse("read:orders/**")));
    assertTrue(Permission.parse("read:orders/**").isWithin(Permission.parse("read:**")));
    assertFalse(Permission.parse("read:orders/**").isWithin(Permission.parse("read:orders/*")));
    assertFalse(Permission.parse("read:orders/*").isWithin(Permission.parse("read:orders/1")));
    assertFalse(Permission.parse("read:orders").isWithin(Permission.parse("read:orders/*")));
    assertFalse(Permission.parse("write:orders/1").isWithin(Permission.parse("read:orders/*")));
    assertFalse(Permission.parse("read:**").isWithin(Permission.parse("read:orders/**")));
  }
}
