package dev.jitaccess;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The exact subset test between a resource pattern and a union of patterns (same action).
 *
 * <p>It walks the child pattern segment by segment with the parent patterns that still agree on
 * the prefix. Where the child has {@code *}, every literal a parent names at that position is one
 * case to cover, and "any other value" is the last one. The work is bounded: a {@link Budget}
 * counts every candidate pattern each step looks at, and past {@link #MAX_WORK} of them the
 * answer is "not covered". One budget serves a whole scope's test, so an adversarial scope can
 * make a delegation fail but never make a request slow or a wrong delegation pass.
 */
final class Coverage {
  /** The most candidate patterns one subset test of a scope looks at, all steps together. */
  static final int MAX_WORK = 2_000_000;

  private final Budget budget;
  private final Permission child;

  private Coverage(Permission child, Budget budget) {
    this.child = child;
    this.budget = budget;
  }

  /** The work left to one subset test; shared by the permissions of one scope. Not thread-safe. */
  static final class Budget {
    private long left;

    Budget() {
      this(MAX_WORK);
    }

    Budget(long work) {
      this.left = work;
    }

    /** Whether the budget has run out: every later test answers "not covered". */
    boolean exhausted() {
      return left < 0;
    }

    private void spend(int work) {
      left -= work;
      if (left < 0) {
        throw BudgetExceeded.INSTANCE;
      }
    }
  }

  /** Whether every resource {@code child} matches is matched by some permission in parents. */
  static boolean covered(Permission child, Permission[] parents) {
    return covered(child, parents, new Budget());
  }

  /** As {@link #covered(Permission, Permission[])}, spending from {@code budget}. */
  static boolean covered(Permission child, Permission[] parents, Budget budget) {
    if (budget.exhausted()) {
      return false;
    }
    List<Permission> candidates = new ArrayList<>();
    for (Permission parent : parents) {
      if (parent.action().equals(child.action())) {
        candidates.add(parent);
      }
    }
    Coverage coverage = new Coverage(child, budget);
    try {
      budget.spend(parents.length);
      return coverage.cover(0, candidates);
    } catch (BudgetExceeded e) {
      return false;
    }
  }

  private boolean cover(int i, List<Permission> candidates) {
    // Each step looks at its candidates a few times over, and at the child's remaining segments
    // once per candidate: that is the work it spends.
    budget.spend(1 + candidates.size() * (2 + Math.max(0, child.segmentCount() - i)));
    for (Permission c : candidates) {
      if (c.hasTail() && c.segmentCount() <= i) {
        return true;
      }
    }
    if (i <= child.segmentCount()) {
      for (Permission c : candidates) {
        if (subsumes(c, i)) {
          return true; // one pattern alone covers the rest: no case analysis needed
        }
      }
    }
    if (i >= child.segmentCount() && i > 0) {
      // The child matches resources that end here (a resource has at least one segment).
      boolean endCovered = false;
      for (Permission c : candidates) {
        if (!c.hasTail() && c.segmentCount() == i) {
          endCovered = true;
          break;
        }
      }
      if (!endCovered) {
        return false;
      }
    }
    boolean canContinue = i < child.segmentCount() || child.hasTail();
    if (!canContinue) {
      return true;
    }
    if (i >= Permission.MAX_SEGMENTS) {
      // A resource has at most MAX_SEGMENTS segments, so nothing continues past here.
      return true;
    }
    String segment = i < child.segmentCount() ? child.segment(i) : Permission.STAR;
    List<Permission> live = new ArrayList<>();
    for (Permission c : candidates) {
      if (c.segmentCount() > i) {
        live.add(c);
      }
    }
    if (!segment.equals(Permission.STAR)) {
      return cover(i + 1, agreeing(live, i, segment));
    }
    Set<String> literals = new LinkedHashSet<>();
    for (Permission c : live) {
      if (!c.segment(i).equals(Permission.STAR)) {
        literals.add(c.segment(i));
      }
    }
    for (String literal : literals) {
      if (!cover(i + 1, agreeing(live, i, literal))) {
        return false;
      }
    }
    return cover(i + 1, agreeing(live, i, null));
  }

  /**
   * Whether {@code c}, which accepts this branch's segments before {@code i}, alone matches every
   * resource the child matches from segment {@code i <= child.segmentCount()} on: segment by
   * segment it is {@code *} or the child's own literal, and where one runs out of segments before
   * the other, {@code c} has the tail {@code **}.
   */
  private boolean subsumes(Permission c, int i) {
    int n = child.segmentCount();
    int m = c.segmentCount();
    if (n < m) {
      return false; // the child matches resources of n segments, c none shorter than m
    }
    for (int j = i; j < m; j++) {
      String mine = child.segment(j);
      String theirs = c.segment(j);
      if (theirs != Permission.STAR && (mine == Permission.STAR || !theirs.equals(mine))) {
        return false;
      }
    }
    return n == m ? !child.hasTail() || c.hasTail() : c.hasTail();
  }

  /** The candidates whose segment i accepts {@code literal} (or, for null, any other value). */
  private static List<Permission> agreeing(
      List<Permission> live, int i, @Nullable String literal) {
    List<Permission> out = new ArrayList<>();
    for (Permission c : live) {
      String s = c.segment(i);
      if (s.equals(Permission.STAR) || (literal != null && s.equals(literal))) {
        out.add(c);
      }
    }
    return out;
  }

  private static final class BudgetExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;
    static final BudgetExceeded INSTANCE = new BudgetExceeded();

    private BudgetExceeded() {
      super("scope coverage budget exceeded", null, false, false);
    }
  }
}
