package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The subset test behind delegation, against brute force: over a small alphabet, every pattern of
 * up to three segments (with and without a trailing {@code **}) is within a parent exactly when
 * every resource of up to five segments it permits is permitted by some parent pattern. Five
 * segments are enough: a pattern of at most three fixed segments and a tail cannot tell longer
 * resources apart from ones of four or five.
 */
class CoverageExhaustiveTest {
  private static final String[] PATTERN_SEGMENTS = {"a", "ab", "*"};
  private static final String[] RESOURCE_SEGMENTS = {"a", "ab", "c"};

  private final List<String> patterns = patterns(3);
  private final List<String> resources = resources(5);
  /** permits[p][r]: whether pattern p permits resource r, by the library's matcher. */
  private final boolean[][] permits = new boolean[patterns.size()][resources.size()];

  CoverageExhaustiveTest() {
    for (int p = 0; p < patterns.size(); p++) {
      Permission permission = Permission.parse("read:" + patterns.get(p));
      for (int r = 0; r < resources.size(); r++) {
        permits[p][r] = permission.permits("read", resources.get(r));
      }
    }
  }

  @Test
  void theMatcherAgreesWithSegmentBySegmentComparison() {
    for (int p = 0; p < patterns.size(); p++) {
      for (int r = 0; r < resources.size(); r++) {
        assertEquals(reference(patterns.get(p), resources.get(r)), permits[p][r],
            patterns.get(p) + " on " + resources.get(r));
      }
    }
  }

  @Test
  void everyPatternIsWithinEveryPairOfPatternsExactlyWhenBruteForceSaysSo() {
    for (int c = 0; c < patterns.size(); c++) {
      Scope child = Scope.parse("read:" + patterns.get(c));
      for (int p1 = 0; p1 < patterns.size(); p1++) {
        for (int p2 = p1; p2 < patterns.size(); p2++) {
          Scope parent = Scope.parse("read:" + patterns.get(p1), "read:" + patterns.get(p2));
          assertEquals(covered(c, new int[] {p1, p2}), child.isWithin(parent),
              child + " within " + parent);
        }
      }
    }
  }

  @Test
  void randomUnionsOfUpToFivePatternsAgreeWithBruteForce() {
    SplittableRandom random = new SplittableRandom(20261123);
    for (int t = 0; t < 100_000; t++) {
      int[] parents = new int[1 + random.nextInt(5)];
      String[] texts = new String[parents.length];
      for (int i = 0; i < parents.length; i++) {
        parents[i] = random.nextInt(patterns.size());
        texts[i] = "read:" + patterns.get(parents[i]);
      }
      int c = random.nextInt(patterns.size());
      Scope child = Scope.parse("read:" + patterns.get(c));
      Scope parent = Scope.parse(texts);
      assertEquals(covered(c, parents), child.isWithin(parent), child + " within " + parent);
    }
  }

  private boolean covered(int child, int[] parents) {
    for (int r = 0; r < resources.size(); r++) {
      if (permits[child][r]) {
        boolean any = false;
        for (int p : parents) {
          any |= permits[p][r];
        }
        if (!any) {
          return false;
        }
      }
    }
    return true;
  }

  private static boolean reference(String pattern, String resource) {
    String[] p = pattern.split("/");
    String[] r = resource.split("/", -1);
    boolean tail = p[p.length - 1].equals("**");
    int fixed = tail ? p.length - 1 : p.length;
    if (tail ? r.length < fixed : r.length != fixed) {
      return false;
    }
    for (int i = 0; i < fixed; i++) {
      if (!p[i].equals("*") && !p[i].equals(r[i])) {
        return false;
      }
    }
    return true;
  }

  /** Every pattern of 1 to {@code maxFixed} segments, and each of 0 to maxFixed with a tail. */
  private static List<String> patterns(int maxFixed) {
    List<String> out = new ArrayList<>();
    List<List<String>> level = List.of(List.of());
    for (int depth = 0; depth <= maxFixed; depth++) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : level) {
        if (!prefix.isEmpty()) {
          out.add(String.join("/", prefix));
        }
        List<String> tailed = new ArrayList<>(prefix);
        tailed.add("**");
        out.add(String.join("/", tailed));
        if (depth < maxFixed) {
          for (String segment : PATTERN_SEGMENTS) {
            List<String> longer = new ArrayList<>(prefix);
            longer.add(segment);
            next.add(longer);
          }
        }
      }
      level = next;
    }
    return out;
  }

  /** Every resource of 1 to {@code maxDepth} segments over the resource alphabet. */
  private static List<String> resources(int maxDepth) {
    List<String> all = new ArrayList<>();
    List<String> level = List.of(RESOURCE_SEGMENTS);
    for (int depth = 1; depth <= maxDepth; depth++) {
      all.addAll(level);
      List<String> next = new ArrayList<>();
      for (String prefix : level) {
        for (String segment : RESOURCE_SEGMENTS) {
          next.add(prefix + "/" + segment);
        }
      }
      level = next;
    }
    return all;
  }
}
