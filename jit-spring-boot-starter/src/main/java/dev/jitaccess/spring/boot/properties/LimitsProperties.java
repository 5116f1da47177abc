package dev.jitaccess.spring.boot.properties;

import dev.jitaccess.core.AllowedCheckAudit;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * {@code jit.limits.*}: the runtime's limits. An unset limit keeps the library's default (see
 * {@code JitAccessBuilder}). With governance, lifetimes come from the risk tiers, so {@code
 * max-lifetime} and {@code max-hard-cap} must stay unset.
 */
public class LimitsProperties {
  /** The longest lifetime a request, delegation or renewal may ask for (default 60m). */
  private @Nullable Duration maxLifetime;

  /** The longest a grant may live from issue, however often renewed (default 8h). */
  private @Nullable Duration maxHardCap;

  /** The longest chain of delegations below a top-level grant, 0 to 64; 0 forbids delegation (default 4). */
  private @Nullable Integer maxDelegationDepth;

  /** What to record about allowed checks: OFF, COUNT or EACH (default OFF). */
  private AllowedCheckAudit allowedChecks = AllowedCheckAudit.OFF;

  /** How long an ended task refuses new grants (default 24h). */
  private @Nullable Duration endedTaskRetention;

  /** The longest lifetime a request may ask for; null for the library's default. */
  public @Nullable Duration getMaxLifetime() {
    return maxLifetime;
  }

  /** Sets the longest lifetime a request may ask for. */
  public void setMaxLifetime(@Nullable Duration maxLifetime) {
    this.maxLifetime = maxLifetime;
  }

  /** The longest a grant may live from issue; null for the library's default. */
  public @Nullable Duration getMaxHardCap() {
    return maxHardCap;
  }

  /** Sets the longest a grant may live from issue. */
  public void setMaxHardCap(@Nullable Duration maxHardCap) {
    this.maxHardCap = maxHardCap;
  }

  /** The longest chain of delegations; null for the library's default. */
  public @Nullable Integer getMaxDelegationDepth() {
    return maxDelegationDepth;
  }

  /** Sets the longest chain of delegations. */
  public void setMaxDelegationDepth(@Nullable Integer maxDelegationDepth) {
    this.maxDelegationDepth = maxDelegationDepth;
  }

  /** What to record about allowed checks. */
  public AllowedCheckAudit getAllowedChecks() {
    return allowedChecks;
  }

  /** Sets what to record about allowed checks. */
  public void setAllowedChecks(AllowedCheckAudit allowedChecks) {
    this.allowedChecks = allowedChecks;
  }

  /** How long an ended task refuses new grants; null for the library's default. */
  public @Nullable Duration getEndedTaskRetention() {
    return endedTaskRetention;
  }

  /** Sets how long an ended task refuses new grants. */
  public void setEndedTaskRetention(@Nullable Duration endedTaskRetention) {
    this.endedTaskRetention = endedTaskRetention;
  }

  void validate(Rules rules) {
    rules.positive("jit.limits.max-lifetime", maxLifetime);
    rules.positive("jit.limits.max-hard-cap", maxHardCap);
    rules.positive("jit.limits.ended-task-retention", endedTaskRetention);
    rules.range("jit.limits.max-delegation-depth", maxDelegationDepth, 0,
        JitAccessBuilder.MAX_DELEGATION_DEPTH);
    if (allowedChecks == null) {
      rules.reject("jit.limits.allowed-checks", "must be one of OFF, COUNT, EACH");
    }
    Duration lifetime = maxLifetime == null
        ? Duration.ofMinutes(JitAccessBuilder.DEFAULT_MAX_LIFETIME_MINUTES) : maxLifetime;
    Duration cap = maxHardCap == null
        ? Duration.ofHours(JitAccessBuilder.DEFAULT_MAX_HARD_CAP_HOURS) : maxHardCap;
    if (cap.compareTo(lifetime) < 0 && !cap.isNegative() && !lifetime.isNegative()) {
      rules.reject("jit.limits.max-hard-cap", "must be >= jit.limits.max-lifetime ("
          + lifetime + "), was " + cap);
    }
  }
}
