package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The edges of matching and validation: where a literal ends inside a resource segment, the
 * characters a wildcard reads, the length limit of a resource, and the characters of an action.
 */
class PermissionBoundaryTest {

  @ParameterizedTest(name = "{0} denies {1}")
  @CsvSource({
      // A literal after a wildcard that is a strict prefix of the resource's segment, with
      // pattern left to match what follows the prefix.
      "read:a/*/b/*, a/x/bcd",
      "read:a/*/b/*, a/x/bc/d/e",
      "read:*/b/*, x/bcd",
      "read:*/b/**, x/bcd",
      "read:*/b/**, x/bc/d",
      "read:*/ab/*, x/abc",
      // The leading literals too.
      "read:a/*, ab/c",
      "read:a/b/*, a/bc/d",
      "read:a/b/**, a/bc",
      "read:a/b/**, a/bc/d",
  })
  void aLiteralMatchesAWholeSegmentNeverAPrefixOfOne(String permission, String resource) {
    assertFalse(Permission.parse(permission).permits(permission.substring(0, 4), resource));
  }

  @ParameterizedTest(name = "{0} permits {1}")
  @CsvSource({
      "read:a/*/b/*, a/x/b/d",
      "read:*/b/*, x/b/d",
      "read:*/b/**, x/b/d/e",
      "read:*/b/**, x/b",
      "read:*/ab/*, x/ab/c",
      "read:a/b/**, a/b/c",
  })
  void aLiteralFollowedByTheSeparatorMatches(String permission, String resource) {
    assertTrue(Permission.parse(permission).permits(permission.substring(0, 4), resource));
  }

  @ParameterizedTest(name = "read:{0} denies x!y/a")
  @ValueSource(strings = {"*/a", "*/*", "*", "*/**"})
  void aWildcardSegmentWithACharacterOutsideTheTableIsDenied(String pattern) {
    Permission p = Permission.parse("read:" + pattern);
    String tail = pattern.contains("/") ? "/a" : "";
    assertFalse(p.permits("read", "x!y" + tail));
    assertFalse(p.permits("read", "xy!" + tail));
    assertFalse(p.permits("read", "!xy" + tail));
    assertFalse(p.permits("read", "x y" + tail));
    assertFalse(p.permits("read", "x\u00e9y" + tail));
    assertFalse(p.permits("read", "x\u0080y" + tail)); // the first character past the table
    assertFalse(p.permits("read", "x\u007fy" + tail)); // its last entry, DEL
    assertTrue(p.permits("read", "x~y" + tail));
  }

  @Test
  void aStarMatchesOnlyWellFormedSegmentsWhereverItStands() {
    Permission p = Permission.parse("read:a/*/c");
    assertTrue(p.permits("read", "a/b/c"));
    assertTrue(p.permits("read", "a/.../c"));
    assertTrue(p.permits("read", "a/.b/c"));
    assertTrue(p.permits("read", "a/b./c"));
    assertFalse(p.permits("read", "a/./c"));
    assertFalse(p.permits("read", "a/../c"));
    assertFalse(p.permits("read", "a//c"));
    assertFalse(p.permits("read", "a/b!/c"));
    assertFalse(p.permits("read", "a/b/c/"));
    assertFalse(p.permits("read", "a/b"));
    assertFalse(p.permits("read", "a/b/"));
  }

  @Test
  void aTailMatchesOnlyWellFormedSegments() {
    Permission p = Permission.parse("read:a/**");
    assertTrue(p.permits("read", "a/.x/x./..."));
    assertFalse(p.permits("read", "a/x/."));
    assertFalse(p.permits("read", "a/x/.."));
    assertFalse(p.permits("read", "a/./x"));
    assertFalse(p.permits("read", "a/../x"));
    assertFalse(p.permits("read", "a/x!"));
    assertFalse(p.permits("read", "a/x\u0080"));
    assertFalse(p.permits("read", "a/"));
    assertFalse(p.permits("read", "a/x//y"));
  }

  @Test
  void aResourceOfExactlyTheLengthLimitIsPermittedAndOneCharacterMoreIsNot() {
    // The limit applies to the resource alone (not to action:resource as in parse).
    String limit = "a".repeat(Permission.MAX_LENGTH);
    String over = "a".repeat(Permission.MAX_LENGTH + 1);
    for (String pattern : new String[] {"**", "*", "a/**"}) {
      Permission p = Permission.parse("read:" + pattern);
      String fits = pattern.equals("a/**") ? "a/" + "b".repeat(Permission.MAX_LENGTH - 2) : limit;
      String tooLong = pattern.equals("a/**") ? "a/" + "b".repeat(Permission.MAX_LENGTH - 1)
          : over;
      assertTrue(p.permits("read", fits), pattern);
      assertFalse(p.permits("read", tooLong), pattern);
    }
    assertTrue(Permission.isWellFormedRequest("read", limit));
    assertFalse(Permission.isWellFormedRequest("read", over));
  }

  @Test
  void aLiteralPatternOfTheLengthLimitPermitsItsResource() {
    String resource = "r".repeat(Permission.MAX_LENGTH - 2); // "x:" + resource is the limit
    Permission p = Permission.parse("x:" + resource);
    assertTrue(p.permits("x", resource));
    assertFalse(p.permits("x", resource + "r"));
  }

  @ParameterizedTest(name = "action \"{0}\" is accepted")
  @ValueSource(strings = {"A", "Z", "a", "z", "0", "9", "a.b", "a_b", "a-b", "a..", "a__",
      "a--", "Az09", "0a", "9.z_-A"})
  void actionsOfLettersDigitsAndInnerPunctuationAreAccepted(String action) {
    assertNull(Permission.actionProblem(action));
    assertTrue(Permission.isWellFormedRequest(action, "r"));
    assertTrue(Permission.of(action, "r").permits(action, "r"));
  }

  @ParameterizedTest(name = "action \"{0}\" is rejected")
  @ValueSource(strings = {".a", "_a", "-a", "@", "[", "`", "{", "/", ":", "a@", "a[", "a`", "a{",
      "a/", "a:b", "a!", "a b", "a\u00e9", "a\u0080", "a+b", "a~", "a,b", "a=b", "ab\t"})
  void actionsWithACharacterOutsideTheirTableAreRejectedAtAnyPosition(String action) {
    assertTrue(Permission.actionProblem(action) != null, action);
    assertFalse(Permission.isWellFormedRequest(action, "r"));
    assertThrows(IllegalArgumentException.class, () -> Permission.of(action, "r"));
  }

  @Test
  void anActionOfTheLengthLimitIsAcceptedAndOneCharacterMoreIsNot() {
    String limit = "a".repeat(Permission.MAX_ACTION_LENGTH);
    assertTrue(Permission.isWellFormedRequest(limit, "r"));
    assertFalse(Permission.isWellFormedRequest(limit + "a", "r"));
  }

  @ParameterizedTest(name = "segment \"{0}\" is rejected")
  @ValueSource(strings = {"a!", "!a", "a b", "a\u00e9", "a\u0080", "a\u007f", "a*", "*a", "a**",
      "a%", "a#", "a?", "a&", "a;"})
  void literalSegmentsWithACharacterOutsideTheTableAreRejected(String segment) {
    assertThrows(IllegalArgumentException.class, () -> Permission.of("read", "x/" + segment));
    assertThrows(IllegalArgumentException.class, () -> Permission.of("read", segment + "/x"));
  }

  @ParameterizedTest(name = "segment \"{0}\" is accepted")
  @ValueSource(strings = {".a", "a.", "...", ".a.", "~", ":", "@", "+", "=", ",", "-", "_a", "a_"})
  void literalSegmentsOfTableCharactersOtherThanDotAndDotDotAreAccepted(String segment) {
    Permission p = Permission.of("read", "x/" + segment);
    assertTrue(p.permits("read", "x/" + segment));
  }

  @Test
  void anOverLongTextIsRejectedForItsLengthBeforeItsShape() {
    String noColon = "a".repeat(Permission.MAX_LENGTH + 1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Permission.parse(noColon));
    assertTrue(e.getMessage().contains("must be at most 1024 characters, was 1025"),
        e.getMessage());
    String limit = "read:" + "a".repeat(Permission.MAX_LENGTH - 5);
    assertEquals(limit, Permission.parse(limit).toString());
  }

  @Test
  void aPatternOfExactlyTheSegmentLimitIsAccepted() {
    String pattern = "a" + "/a".repeat(Permission.MAX_SEGMENTS - 1);
    Permission p = Permission.parse("read:" + pattern);
    assertTrue(p.permits("read", pattern));
    assertThrows(IllegalArgumentException.class,
        () -> Permission.of("read", pattern + "/a"));
    Permission tail = Permission.parse("read:" + "a/".repeat(Permission.MAX_SEGMENTS - 1) + "**");
    assertTrue(tail.permits("read", pattern));
  }

  @ParameterizedTest(name = "pattern \"{0}\" is rejected: . and .. are never segments")
  @ValueSource(strings = {"a/.", "a/..", "./a", "../a", ".", "..", "a/./b", "a/../**"})
  void dotAndDotDotAreRejectedAsLiteralSegments(String pattern) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Permission.of("read", pattern));
    assertTrue(e.getMessage().contains("must not be . or .."), e.getMessage());
  }

  @Test
  void permissionsAreEqualExactlyWhenTheirCanonicalTextsAre() {
    Permission p = Permission.parse("read:a/*");
    assertEquals(p, Permission.of("read", "a/*"));
    assertEquals(p.hashCode(), Permission.of("read", "a/*").hashCode());
    assertNotEquals(p, Permission.parse("read:a/b"));
    assertNotEquals(p, Permission.parse("write:a/*"));
    assertNotEquals(p.hashCode(), Permission.parse("read:a/b").hashCode());
    assertNotEquals(p, "read:a/*");
    assertNotEquals(p, null);
    assertEquals(0, p.compareTo(Permission.of("read", "a/*")));
    assertTrue(p.compareTo(Permission.parse("write:a")) < 0);
    assertEquals("a/*", p.resourcePattern());
    assertEquals("read", p.action());
    assertEquals("**", Permission.parse("read:**").resourcePattern());
    assertEquals("a/**", Permission.parse("read:a/**").resourcePattern());
  }
}
