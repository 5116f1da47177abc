package dev.jitaccess;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The work a subset test spends: each call spends one unit per parent permission, and each step
 * one unit plus, per candidate, two and one per child segment still ahead. A test answers "not
 * covered" exactly when its budget would go below zero.
 */
class CoverageBudgetTest {

  private static boolean covered(String child, long budget, String... parents) {
    Permission[] ps = new Permission[parents.length];
    for (int i = 0; i < parents.length; i++) {
      ps[i] = Permission.parse(parents[i]);
    }
    return Coverage.covered(Permission.parse(child), ps, new Coverage.Budget(budget));
  }

  @Test
  void aPermissionCoveredByItselfCostsOneForTheParentAndFourForTheStep() {
    // 1 parent + (1 + 1 candidate * (2 + 1 segment ahead)).
    assertTrue(covered("read:a", 5, "read:a"));
    assertFalse(covered("read:a", 4, "read:a"));
    assertTrue(covered("read:a/b/c", 7, "read:a/b/c")); // 1 + (1 + 1 * (2 + 3))
    assertFalse(covered("read:a/b/c", 6, "read:a/b/c"));
  }

  @Test
  void parentsOfAnotherActionCostOnlyTheirUnit() {
    // 2 parents, 1 candidate: 2 + (1 + 1 * (2 + 1)).
    assertTrue(covered("read:a", 6, "read:a", "write:a"));
    assertFalse(covered("read:a", 5, "read:a", "write:a"));
    assertFalse(covered("read:a", Coverage.MAX_WORK, "write:a"));
  }

  @Test
  void aCaseAnalysisPaysForEveryStepItTakes() {
    // read:a/** within read:a and read:a/*/**: three steps.
    // 2 parents + (1 + 2 * (2 + 1)) + (1 + 2 * (2 + 0)) + (1 + 1 * (2 + 0)) = 2 + 7 + 5 + 3.
    assertTrue(covered("read:a/**", 17, "read:a", "read:a/*/**"));
    assertFalse(covered("read:a/**", 16, "read:a", "read:a/*/**"));
  }

  @Test
  void anExhaustedBudgetAnswersNotCoveredWithoutLookingFurther() {
    Coverage.Budget budget = new Coverage.Budget(4);
    assertFalse(budget.exhausted());
    assertFalse(Coverage.covered(Permission.parse("read:a"),
        new Permission[] {Permission.parse("read:a")}, budget));
    assertTrue(budget.exhausted());
    assertFalse(Coverage.covered(Permission.parse("read:a"),
        new Permission[] {Permission.parse("read:**")}, budget));
  }

  @Test
  void aBudgetSpentToExactlyZeroIsNotExhausted() {
    Coverage.Budget budget = new Coverage.Budget(5);
    assertTrue(Coverage.covered(Permission.parse("read:a"),
        new Permission[] {Permission.parse("read:a")}, budget));
    assertFalse(budget.exhausted());
  }

  @Test
  void oneBudgetServesEveryPermissionOfAScopeInOrder() {
    Scope child = Scope.parse("read:a", "read:b");
    Scope parent = Scope.parse("read:a", "read:b");
    // Each child permission: 2 parents + (1 + 2 * (2 + 1)) = 9.
    assertEquals(List.of(), child.notWithin(parent, new Coverage.Budget(18)));
    assertEquals(List.of(Permission.parse("read:b")),
        child.notWithin(parent, new Coverage.Budget(17)));
    assertEquals(List.of(Permission.parse("read:b")),
        child.notWithin(parent, new Coverage.Budget(9)));
    assertEquals(List.of(Permission.parse("read:a"), Permission.parse("read:b")),
        child.notWithin(parent, new Coverage.Budget(8)));
  }

  @Test
  void theDefaultBudgetIsTheDocumentedMaximum() {
    Coverage.Budget budget = new Coverage.Budget();
    Permission[] parents = new Permission[Coverage.MAX_WORK - 4];
    java.util.Arrays.fill(parents, Permission.parse("write:a"));
    parents[0] = Permission.parse("read:a");
    // MAX_WORK - 4 parents + (1 + 1 * 3) = MAX_WORK exactly.
    assertTrue(Coverage.covered(Permission.parse("read:a"), parents, budget));
    assertFalse(budget.exhausted());
    Coverage.Budget fresh = new Coverage.Budget();
    Permission[] more = java.util.Arrays.copyOf(parents, parents.length + 1);
    more[more.length - 1] = Permission.parse("write:a");
    assertFalse(Coverage.covered(Permission.parse("read:a"), more, fresh));
    assertTrue(fresh.exhausted());
  }

  @Test
  void aLiteralAParentNamesUnderAStarIsOneMoreCaseToPayFor() {
    // As above with read:a/x/** as well: the step under * covers x, then any other value.
    long cost = 2 + 7 + 5 + 3;
    assertTrue(covered("read:a/**", cost, "read:a", "read:a/*/**"));
    long withLiteral = minimalBudget("read:a/**", "read:a", "read:a/x/**", "read:a/*/**");
    assertEquals(3 + (1 + 3 * 3) + (1 + 3 * 2) + (1 + 2 * 2) + (1 + 1 * 2), withLiteral);
  }

  @Test
  void aResourceHasAtMostTheSegmentLimitSoNothingBeyondItNeedsCovering() {
    // The child matches resources of 63 and 64 segments: the parents cover exactly those.
    String prefix = "a/".repeat(Permission.MAX_SEGMENTS - 2) + "a";
    Scope child = Scope.parse("read:" + prefix + "/**");
    Scope parent = Scope.parse("read:" + prefix, "read:" + prefix + "/*");
    assertTrue(child.isWithin(parent));
    assertEquals(List.of(), child.notWithin(parent));
    Scope shorter = Scope.parse("read:" + prefix.substring(2) + "/**");
    assertFalse(shorter.isWithin(Scope.parse("read:" + prefix.substring(2),
        "read:" + prefix.substring(2) + "/*")));
  }

  @Test
  void aPatternWithATailCoveredByItselfIsSettledInOneStepToo() {
    // 1 parent + (1 + 1 * (2 + 1)): the parent alone covers the rest, so no case analysis.
    assertTrue(covered("read:a/**", 5, "read:a/**"));
    assertFalse(covered("read:a/**", 4, "read:a/**"));
    assertTrue(covered("read:a/*/**", 6, "read:a/*/**")); // 1 + (1 + 1 * (2 + 2))
    assertFalse(covered("read:a/*/**", 5, "read:a/*/**"));
  }

  private static long minimalBudget(String child, String... parents) {
    long budget = 0;
    while (!covered(child, budget, parents)) {
      budget++;
    }
    return budget;
  }
}
