package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Properties of scope matching and narrowing, each against an independent reference: a regular
 * expression for matching, and brute force over a representative universe for narrowing.
 */
class ScopePropertiesTest {
  private static final List<String> PATTERN_SEGMENTS = List.of("a", "b", "*");
  private static final List<String> RESOURCE_SEGMENTS = List.of("a", "b", "z");

  /** A pattern of 1-4 segments over a, b, *, with an optional final **. */
  static Gen<String> patterns() {
    return lists().of(Generate.pick(PATTERN_SEGMENTS)).ofSizeBetween(0, 4)
        .zip(booleans().all(), (segments, tail) -> {
          List<String> all = new ArrayList<>(segments);
          if (tail || all.isEmpty()) {
            all.add("**");
          }
          return String.join("/", all);
        });
  }

  static Gen<String> resources() {
    return lists().of(Generate.pick(List.of("a", "b", "c", "z", "*", "", ".."))).ofSizeBetween(1, 6)
        .map(segments -> String.join("/", segments));
  }

  /**
   * Patterns for matching alone: multi-character literals, so that a literal prefix that matches
   * only part of a resource segment ({@code ab} against {@code abc}) is exercised.
   */
  static Gen<String> matchPatterns() {
    return lists().of(Generate.pick(List.of("a", "ab", "b.c", "*"))).ofSizeBetween(0, 4)
        .zip(booleans().all(), (segments, tail) -> {
          List<String> all = new ArrayList<>(segments);
          if (tail || all.isEmpty()) {
            all.add("**");
          }
          return String.join("/", all);
        });
  }

  /**
   * Resources for matching alone: segments that extend or cut short a literal, dots, and
   * characters outside the segment table, from 1 segment to past the segment limit.
   */
  static Gen<String> matchResources() {
    Gen<String> segment = Generate.pick(List.of(
        "a", "ab", "abc", "b.c", "b", "z", ".", "..", "...", "", "*", "a b", "a%b", "é", "~:@",
        // Characters outside ASCII whose low bits spell a segment character or the separator.
        "\u0161", "a\u012fb", "\u00e1b", "\u0141"));
    Gen<String> shallow = lists().of(segment).ofSizeBetween(1, 6)
        .map(segments -> String.join("/", segments));
    Gen<String> deep = integers().between(Permission.MAX_SEGMENTS - 2, Permission.MAX_SEGMENTS + 1)
        .zip(Generate.pick(List.of("a", "ab", "b.c")), (count, first) ->
            first + "/z".repeat(count - 1));
    return Generate.frequency(List.of(Pair.of(4, shallow), Pair.of(1, deep)));
  }

  /** The reference matcher: the pattern language as a regular expression. */
  static boolean referenceMatches(String pattern, String resource) {
    if (!resource.matches("[A-Za-z0-9._~:@+=,-]+(/[A-Za-z0-9._~:@+=,-]+)*")) {
      return false;
    }
    for (String segment : resource.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    if (resource.split("/").length > Permission.MAX_SEGMENTS) {
      return false;
    }
    List<String> parts = List.of(pattern.split("/"));
    boolean tail = parts.get(parts.size() - 1).equals("**");
    List<String> fixed = tail ? parts.subList(0, parts.size() - 1) : parts;
    StringBuilder regex = new StringBuilder();
    for (int i = 0; i < fixed.size(); i++) {
      regex.append(i == 0 ? "" : "/");
      regex.append(fixed.get(i).equals("*") ? "[^/]+" : Pattern.quote(fixed.get(i)));
    }
    if (tail) {
      regex.append(fixed.isEmpty() ? "[^/]+(/[^/]+)*" : "(/[^/]+)*");
    }
    return Pattern.matches(regex.toString(), resource);
  }

  /** Every resource of 1 to maxLength segments over a, b and a fresh value z. */
  static List<String> universe(int maxLength) {
    List<String> all = new ArrayList<>();
    List<String> current = new ArrayList<>(RESOURCE_SEGMENTS);
    for (int length = 1; length <= maxLength; length++) {
      all.addAll(current);
      List<String> next = new ArrayList<>();
      for (String prefix : current) {
        for (String s : RESOURCE_SEGMENTS) {
          next.add(prefix + "/" + s);
        }
      }
      current = next;
    }
    return all;
  }

  @Test
  void permitsAgreesWithTheReferenceMatcher() {
    qt().withExamples(2_000).forAll(patterns(), resources()).checkAssert((pattern, resource) ->
        assertEquals(referenceMatches(pattern, resource),
            Permission.parse("read:" + pattern).permits("read", resource),
            () -> pattern + " vs " + resource));
  }

  @Test
  void permitsAgreesWithTheReferenceMatcherOnLiteralPrefixesDotsAndTheSegmentLimit() {
    qt().withExamples(3_000).forAll(matchPatterns(), matchResources())
        .checkAssert((pattern, resource) ->
            assertEquals(referenceMatches(pattern, resource),
                Permission.parse("read:" + pattern).permits("read", resource),
                () -> pattern + " vs " + resource));
  }

  @Test
  void isWithinIsExactlyTheSubsetRelation() {
    // Patterns use literals a and b only, so the universe over a, b and a fresh z, one segment
    // longer than any pattern, decides the subset relation exactly.
    List<String> universe = universe(6);
    Gen<List<String>> scopes = lists().of(patterns()).ofSizeBetween(1, 3);
    qt().withExamples(500).forAll(scopes, scopes).checkAssert((childPatterns, parentPatterns) -> {
      Scope child = scope(childPatterns);
      Scope parent = scope(parentPatterns);
      boolean subset = true;
      for (String resource : universe) {
        if (child.permits("read", resource) && !parent.permits("read", resource)) {
          subset = false;
          break;
        }
      }
      assertEquals(subset, child.isWithin(parent), () -> child + " within " + parent);
    });
  }

  @Test
  void whateverANarrowerScopePermitsItsParentPermits() {
    Gen<List<String>> parents = lists().of(patterns()).ofSizeBetween(1, 3);
    Gen<List<Integer>> seeds = lists().of(integers().between(0, 1_000)).ofSizeBetween(1, 3);
    qt().withExamples(1_000).forAll(parents, seeds, resources()).checkAssert((p, s, resource) -> {
      List<String> c = new ArrayList<>();
      for (int seed : s) {
        c.add(narrow(p.get(seed % p.size()), seed));
      }
      Scope child = scope(c);
      Scope parent = scope(p);
      assertTrue(child.isWithin(parent), () -> child + " is a narrowing of " + parent);
      if (child.permits("read", resource)) {
        assertTrue(parent.permits("read", resource), () -> child + " within " + parent);
      }
    });
  }

  @Test
  void aRequestIsWellFormedExactlyWhenItParsesAsAPermissionWithoutWildcards() {
    qt().withExamples(2_000)
        .forAll(Generate.pick(List.of("read", "Read.x", "-read", "", "r*", "wr ite")), resources())
        .checkAssert((action, resource) -> {
          boolean parses;
          try {
            Permission.of(action, resource);
            parses = !List.of(resource.split("/", -1)).contains("*")
                && !List.of(resource.split("/", -1)).contains("**");
          } catch (IllegalArgumentException e) {
            parses = false;
          }
          assertEquals(parses, Permission.isWellFormedRequest(action, resource),
              () -> action + " " + resource);
        });
  }

  @Test
  void canonicalFormRoundTrips() {
    qt().forAll(lists().of(patterns()).ofSizeBetween(1, 5), integers().between(0, 2))
        .checkAssert((patterns, action) -> {
          List<String> texts = new ArrayList<>();
          for (String p : patterns) {
            texts.add(List.of("read", "write", "x.y").get(action) + ":" + p);
          }
          Scope scope = Scope.parse(texts.toArray(new String[0]));
          assertEquals(scope, Scope.parse(scope.toString()));
          assertEquals(scope.toString(), Scope.parse(scope.toString()).toString());
        });
  }

  /** A pattern within {@code pattern}: a * made literal, a ** cut or extended. */
  static String narrow(String pattern, int seed) {
    List<String> parts = new ArrayList<>(List.of(pattern.split("/")));
    int index = seed % parts.size();
    String segment = parts.get(index);
    if (segment.equals("*")) {
      parts.set(index, (seed & 1) == 0 ? "a" : "z");
    } else if (segment.equals("**")) {
      if ((seed & 2) == 0 && parts.size() > 1) {
        parts.remove(index);
      } else {
        parts.add(index, (seed & 1) == 0 ? "*" : "b");
      }
    }
    return String.join("/", parts);
  }

  private static Scope scope(List<String> patterns) {
    List<Permission> permissions = new ArrayList<>();
    for (String p : patterns) {
      permissions.add(Permission.parse("read:" + p));
    }
    return Scope.of(permissions);
  }
}
