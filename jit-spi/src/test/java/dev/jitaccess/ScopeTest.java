package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScopeTest {

  @Test
  void permitsWhenAnyPermissionPermits() {
    Scope scope = Scope.parse("read:orders/*", "write:exports/2026-11/**");
    assertTrue(scope.permits("read", "orders/42"));
    assertTrue(scope.permits("write", "exports/2026-11"));
    assertTrue(scope.permits("write", "exports/2026-11/a/b"));
    assertFalse(scope.permits("write", "orders/42"));
    assertFalse(scope.permits("read", "exports/2026-11"));
  }

  @Test
  void canonicalFormIsSortedDeduplicatedAndReadsBack() {
    Scope scope = Scope.parse("write:b", "read:a", "read:a");
    assertEquals("read:a write:b", scope.toString());
    assertEquals(scope, Scope.parse(scope.toString()));
    assertEquals(scope, Scope.parse("  write:b\tread:a  "));
    assertEquals(2, scope.permissions().size());
  }

  @Test
  void emptyScopeIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Scope::parse);
    assertEquals("scope must contain at least one permission", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Scope.parse("   "));
    assertThrows(IllegalArgumentException.class, () -> Scope.of(List.of()));
  }

  @Test
  void nullsAreRejectedNamingTheField() {
    NullPointerException e =
        assertThrows(NullPointerException.class, () -> Scope.parse("read:a", null));
    assertEquals("scope must not contain a null permission", e.getMessage());
    assertThrows(NullPointerException.class, () -> Scope.parse((String[]) null));
    assertThrows(NullPointerException.class, () -> Scope.parse("read:a").isWithin(null));
  }

  @Test
  void tooManyPermissionsAreRejected() {
    String[] many = new String[Scope.MAX_PERMISSIONS + 1];
    for (int i = 0; i < many.length; i++) {
      many[i] = "read:r" + i;
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Scope.parse(many));
    assertTrue(e.getMessage().contains("at most 256 permissions"), e.getMessage());
  }

  @Test
  void aPermissionWrittenMoreThanOnceCountsOnceTowardsTheLimit() {
    String[] copies = new String[Scope.MAX_PERMISSIONS + 1];
    java.util.Arrays.fill(copies, "read:orders/*");
    assertEquals(Scope.parse("read:orders/*"), Scope.parse(copies));
    assertEquals(Scope.parse("read:orders/*"), Scope.parse(String.join(" ", copies)));
    String[] distinctThenCopies = new String[Scope.MAX_PERMISSIONS + 2];
    for (int i = 0; i < Scope.MAX_PERMISSIONS; i++) {
      distinctThenCopies[i] = "read:r" + i;
    }
    distinctThenCopies[Scope.MAX_PERMISSIONS] = "read:r0";
    distinctThenCopies[Scope.MAX_PERMISSIONS + 1] = "read:r1";
    assertEquals(Scope.MAX_PERMISSIONS, Scope.parse(distinctThenCopies).permissions().size());
  }

  @Test
  void malformedPermissionInsideAScopeIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> Scope.parse("read:a", "*:b"));
  }

  @Test
  void narrowerScopeIsWithinItsParent() {
    Scope parent = Scope.parse("read:orders/**", "write:exports/*");
    assertTrue(Scope.parse("read:orders/1/lines").isWithin(parent));
    assertTrue(Scope.parse("read:orders", "write:exports/x").isWithin(parent));
    assertTrue(parent.isWithin(parent));
  }

  @Test
  void widerScopeIsNotWithinAndTheUncoveredPermissionsAreNamed() {
    Scope parent = Scope.parse("read:orders/*");
    Scope child = Scope.parse("read:orders/1", "read:orders/**", "delete:orders/1");
    assertFalse(child.isWithin(parent));
    assertEquals(List.of(Permission.parse("delete:orders/1"), Permission.parse("read:orders/**")),
        child.notWithin(parent));
  }

  @Test
  void aPermissionCoveredOnlyByTheUnionOfSeveralIsWithin() {
    Scope parent = Scope.parse("read:a", "read:a/*/**");
    assertTrue(Scope.parse("read:a/**").isWithin(parent));
    Scope tails = Scope.parse("read:a/x", "read:a/*/y", "read:a/*/*/**", "read:a/b/*");
    assertTrue(Scope.parse("read:a/*/*").isWithin(tails));
    Scope split = Scope.parse("read:a/x/*", "read:a/b/*");
    assertFalse(Scope.parse("read:a/*/*").isWithin(split));
    assertTrue(Scope.parse("read:**").isWithin(Scope.parse("read:*/**")));
    Scope byLiteral = Scope.parse("read:a/x/*", "read:a/*/y", "read:a/*/z");
    assertFalse(Scope.parse("read:a/*/*").isWithin(byLiteral));
    assertTrue(Scope.parse("read:a/x/y").isWithin(byLiteral));
  }

  @Test
  void adversarialScopesFailClosedInsteadOfRunningLong() {
    String[] parent = new String[Scope.MAX_PERMISSIONS];
    for (int i = 0; i < parent.length; i++) {
      StringBuilder b = new StringBuilder("read:");
      for (int s = 0; s < 16; s++) {
        b.append(s == 0 ? "" : "/").append(((i >> (s % 8)) & 1) == 0 ? "*" : "v" + i % 7);
      }
      parent[i] = b.toString();
    }
    Scope child = Scope.parse("read:*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*");
    // parent[0] is all stars, so the child is within; without it, the child's "any other value"
    // at every segment is covered by no pattern, and the bounded search must not say otherwise.
    assertTrue(child.isWithin(Scope.parse(parent)));
    long start = System.nanoTime();
    boolean within = child.isWithin(Scope.parse(java.util.Arrays.copyOfRange(parent, 1,
        parent.length)));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 5_000, "coverage must stay bounded, took " + millis + " ms");
    assertFalse(within);
  }

  @Test
  void oneWorkBudgetServesAWholeScopeAndOnceSpentNothingMoreIsProvenCovered() {
    Scope parent = Scope.parse("read:a/x", "read:a/*/y", "read:a/*/*/**", "read:a/b/*", "read:c");
    Scope child = Scope.parse("read:a/*/*", "read:c");
    assertEquals(List.of(), child.notWithin(parent));
    // Enough work to start on the first permission, not to finish it: the second, covered when
    // tested alone, is listed too, since the scope's budget is spent.
    Coverage.Budget small = new Coverage.Budget(12);
    assertEquals(List.of(Permission.parse("read:a/*/*"), Permission.parse("read:c")),
        child.notWithin(parent, small));
    assertTrue(small.exhausted());
  }

  @Test
  void aPatternThatAloneCoversTheRestEndsTheSearchSoLiteralHeavyParentsStayCheap() {
    // Each parent pattern names one literal at one of 16 positions. Without the shortcut, a child
    // of stars had to try every combination of them and ran out of budget even where covered.
    java.util.List<String> parent = new java.util.ArrayList<>();
    for (int s = 0; s < 16; s++) {
      for (int j = 0; j < 15; j++) {
        String[] segments = new String[16];
        java.util.Arrays.fill(segments, "*");
        segments[s] = "x" + j;
        parent.add("read:" + String.join("/", segments));
      }
    }
    Scope parentScope = Scope.parse(parent.toArray(new String[0]));
    assertTrue(Scope.parse(parent.get(0)).isWithin(parentScope));
    assertTrue(Scope.parse("read:x3/*/*/*/*/*/*/*/*/*/*/*/*/*/*/x9").isWithin(parentScope));
    assertFalse(Scope.parse("read:" + "*/".repeat(15) + "y").isWithin(parentScope));
    parent.add("read:" + "*/".repeat(15) + "*");
    assertTrue(Scope.parse("read:" + "*/".repeat(15) + "y")
        .isWithin(Scope.parse(parent.toArray(new String[0]))));
  }
}
