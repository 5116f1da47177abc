package dev.jitaccess.micrometer;

import dev.jitaccess.governance.Governance;
import java.util.function.Supplier;

/**
 * How many access requests are PENDING, at most {@code max}: {@link Governance#pending(int)} has
 * no count, so this lists up to {@code max} and counts them. Only loaded when a governance is
 * given, so the module works without jit-governance. Thread-safe.
 */
final class PendingRequests implements Supplier<Integer> {
  private final Governance governance;
  private final int max;

  PendingRequests(Governance governance, int max) {
    this.governance = governance;
    this.max = max;
  }

  @Override
  public Integer get() {
    return governance.pending(max).size();
  }
}
