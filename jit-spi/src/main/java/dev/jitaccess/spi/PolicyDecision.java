package dev.jitaccess.spi;

import dev.jitaccess.Scope;
import dev.jitaccess.internal.Validation;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AccessPolicy}'s answer: approve, approve narrowed (a smaller scope, a shorter lifetime
 * or renewal), or deny with a reason.
 *
 * <p>A narrowed scope must be within the one asked for and a narrowed duration no longer than the
 * one asked for; otherwise the runtime treats the answer as a denial. Instances are immutable and
 * thread-safe.
 */
public final class PolicyDecision {
  private static final PolicyDecision APPROVE = new PolicyDecision(true, null, null, null, null);

  private final boolean approved;
  private final @Nullable Scope scope;
  private final @Nullable Duration duration;
  private final @Nullable String reason;
  private final @Nullable String detail;

  private PolicyDecision(boolean approved, @Nullable Scope scope, @Nullable Duration duration,
      @Nullable String reason, @Nullable String detail) {
    this.approved = approved;
    this.scope = scope;
    this.duration = duration;
    this.reason = reason;
    this.detail = detail;
  }

  /** Approve as asked. */
  public static PolicyDecision approve() {
    return APPROVE;
  }

  /**
   * Approve with a narrower scope and/or a shorter duration (the lifetime for a request, the
   * extension for a renewal); a null argument keeps what was asked.
   *
   * @throws IllegalArgumentException if the duration is not {@code > 0}
   */
  public static PolicyDecision approveNarrowed(@Nullable Scope scope, @Nullable Duration duration) {
    if (duration != null) {
      Validation.positive(duration, "duration");
    }
    return new PolicyDecision(true, scope, duration, null, null);
  }

  /**
   * Deny.
   *
   * @param reason a short code such as {@code OUTSIDE_CHANGE_WINDOW}
   * @param detail words for the audit trail and the exception
   */
  public static PolicyDecision deny(String reason, String detail) {
    Validation.name(reason, "reason");
    Objects.requireNonNull(detail, "detail must not be null");
    return new PolicyDecision(false, null, null, reason, detail);
  }

  /** Whether the request is approved (possibly narrowed). */
  public boolean isApproved() {
    return approved;
  }

  /** The narrowed scope, or null for the one asked for. */
  public @Nullable Scope narrowedScope() {
    return scope;
  }

  /** The narrowed duration, or null for the one asked for. */
  public @Nullable Duration narrowedDuration() {
    return duration;
  }

  /** The denial's reason code, or null when approved. */
  public @Nullable String reason() {
    return reason;
  }

  /** The denial's words, or null when approved. */
  public @Nullable String detail() {
    return detail;
  }

  @Override
  public String toString() {
    if (!approved) {
      return "DENY(" + reason + ": " + detail + ")";
    }
    return scope == null && duration == null
        ? "APPROVE"
        : "APPROVE(scope=" + scope + ", duration=" + duration + ")";
  }
}
