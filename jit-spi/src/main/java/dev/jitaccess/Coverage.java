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
 * case to cover, and "any other value" is the last one. The work is bounded: past
 * {@link #MAX_STEPS} steps the answer is "not covered", so an adversarial scope can make a
 * delegation fail but never make a check slow or a wrong delegation pass.
 */
final class Coverage {
  static final int MAX_STEPS = 100_000;

  private int steps;
  private final Permission child;

  private Coverage(Permission child) {
    this.child = child;
  }

  /** Whether every resource {@code child} matches is matched by some permission in parents. */
  static boolean covered(Permission child, Permission[] parents) {
    List<Permission> candidates = new ArrayList<>();
    for (Permission parent : parents) {
      if (parent.action().equals(child.action())) {
        candidates.add(parent);
      }
    }
    Coverage coverage = new Coverage(child);
    try {
      return coverage.cover(0, candidates);
    } catch (BudgetExceeded e) {
      return false;
    }
  }

  private boolean cover(int i, List<Permission> candidates) {
    if (++steps > MAX_STEPS) {
      throw BudgetExceeded.INSTANCE;
    }
    for (Permission c : candidates) {
      if (c.hasTail() && c.segmentCount() <= i) {
        return true;
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
