package dev.jitaccess.testkit;

import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.Permission;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.opentest4j.AssertionFailedError;

/**
 * Assertions on a grant as the runtime sees it now: its current snapshot (not the one passed in,
 * which may be stale) and the answers of real checks.
 *
 * <pre>{@code
 * assertThat(jit, grant).withAuditTrail(audit).at(clock)
 *     .isActive()
 *     .expiresWithin(Duration.ofMinutes(5))
 *     .permits("read", "orders/42");
 * clock.advance(Duration.ofMinutes(5));
 * assertThat(jit, grant).isExpired().deniesWith(DenyReason.EXPIRED);
 * }</pre>
 *
 * <p>A failure throws {@link AssertionFailedError} with the expected and actual values, the
 * grant's current snapshot and, when an audit trail was given with {@link
 * #withAuditTrail(RecordingAuditSink)}, the grant's audit events. {@link #permits} and {@link
 * #deniesWith} make real checks: an allowed one spends a use of a grant with a budget, and is
 * audited only if the runtime audits allowed checks ({@code AllowedCheckAudit.EACH}, see {@link
 * JitExtension.Builder#allowedChecks}); a denied one is always audited.
 *
 * <p>Not thread-safe: use one instance from one thread (the runtime it queries may be used
 * concurrently).
 */
public final class GrantAssert {
  private final JitAccess jit;
  private final Grant grant;
  private @Nullable Clock clock;
  private @Nullable RecordingAuditSink audit;

  private GrantAssert(JitAccess jit, Grant grant) {
    this.jit = jit;
    this.grant = grant;
  }

  /** Assertions on {@code grant} as {@code jit} sees it. */
  public static GrantAssert assertThat(JitAccess jit, Grant grant) {
    Objects.requireNonNull(jit, "jit must not be null");
    Objects.requireNonNull(grant, "grant must not be null");
    return new GrantAssert(jit, grant);
  }

  /** Reads "now" from {@code clock}: needed by {@link #expiresWithin}, refines {@link #isActive}. */
  public GrantAssert at(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    return this;
  }

  /** Shows the grant's events from {@code audit} in failure messages. */
  public GrantAssert withAuditTrail(RecordingAuditSink audit) {
    this.audit = Objects.requireNonNull(audit, "audit must not be null");
    return this;
  }

  /** The grant's current snapshot, if the runtime still knows it. */
  public Optional<Grant> current() {
    return jit.grant(grant.id());
  }

  /** The grant is ACTIVE (and, with a clock, not yet past its expiry). */
  public GrantAssert isActive() {
    Grant now = current().orElse(null);
    String actual = describeState(now);
    if (now == null || !now.isActive()) {
      throw fail("to be ACTIVE", "ACTIVE", actual);
    }
    if (clock != null && !clock.instant().isBefore(now.expiresAt())) {
      throw fail("to be ACTIVE", "ACTIVE before " + now.expiresAt(),
          "ACTIVE but past its expiry " + now.expiresAt() + " at " + clock.instant());
    }
    return this;
  }

  /** The grant was revoked with {@code reason} (including {@code PARENT_REVOKED} cascades). */
  public GrantAssert isRevoked(RevocationReason reason) {
    Objects.requireNonNull(reason, "reason must not be null");
    return hasEnded(GrantState.REVOKED, reason);
  }

  /** The grant's lifetime ran out. */
  public GrantAssert isExpired() {
    return hasEnded(GrantState.EXPIRED, RevocationReason.EXPIRED);
  }

  /** The grant's use budget was spent. */
  public GrantAssert isExhausted() {
    return hasEnded(GrantState.EXHAUSTED, RevocationReason.EXHAUSTED);
  }

  private GrantAssert hasEnded(GrantState state, RevocationReason reason) {
    Grant now = current().orElse(null);
    String expected = state + " (" + reason + ")";
    String actual = describeState(now);
    if (now == null || now.state() != state || !reason.equals(now.endReason())) {
      throw fail("to be " + expected, expected, actual);
    }
    return this;
  }

  /** The grant's current expiry is exactly {@code expiresAt}. */
  public GrantAssert expiresAt(Instant expiresAt) {
    Objects.requireNonNull(expiresAt, "expiresAt must not be null");
    Grant now = requireKnown("to expire at " + expiresAt, expiresAt.toString());
    if (!now.expiresAt().equals(expiresAt)) {
      throw fail("to expire at " + expiresAt, expiresAt, now.expiresAt());
    }
    return this;
  }

  /**
   * The grant is ACTIVE, has not expired yet, and will within {@code duration} of the clock given
   * to {@link #at(Clock)}. A revoked or exhausted grant fails: it keeps its {@code expiresAt}, but
   * will never expire.
   *
   * @throws IllegalStateException if no clock was given
   * @throws IllegalArgumentException if duration is negative
   */
  public GrantAssert expiresWithin(Duration duration) {
    Objects.requireNonNull(duration, "duration must not be null");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("duration must be >= 0, was " + duration);
    }
    Clock c = clock;
    if (c == null) {
      throw new IllegalStateException("expiresWithin needs a clock: call at(clock) first");
    }
    String expectation = "to expire within " + duration;
    Grant now = requireKnown(expectation, "expires in (0, " + duration + "]");
    if (!now.isActive()) {
      throw fail(expectation, "ACTIVE, expires in (0, " + duration + "]", describeState(now));
    }
    Duration left = Duration.between(c.instant(), now.expiresAt());
    if (left.isNegative() || left.isZero() || left.compareTo(duration) > 0) {
      throw fail(expectation, "expires in (0, " + duration + "]",
          "expires in " + left + " (at " + now.expiresAt() + ", clock at " + c.instant() + ")");
    }
    return this;
  }

  /** A check of {@code action} on {@code resource} with this grant allows now. */
  public GrantAssert permits(String action, String resource) {
    Objects.requireNonNull(action, "action must not be null");
    Objects.requireNonNull(resource, "resource must not be null");
    Decision decision = jit.check(grant.id(), action, resource);
    if (decision.isDenied()) {
      throw fail("to permit " + action + " on " + resource, Decision.allow(), decision);
    }
    return this;
  }

  /**
   * A check with this grant, of an action on a resource that its scope covers, denies now with
   * {@code reason}: the denial comes from the grant's state, not from the scope.
   */
  public GrantAssert deniesWith(DenyReason reason) {
    Permission first = grant.scope().permissions().iterator().next();
    return deniesWith(reason, first.action(), concreteResource(first.resourcePattern()));
  }

  /** A check of {@code action} on {@code resource} with this grant denies now with {@code reason}. */
  public GrantAssert deniesWith(DenyReason reason, String action, String resource) {
    Objects.requireNonNull(reason, "reason must not be null");
    Objects.requireNonNull(action, "action must not be null");
    Objects.requireNonNull(resource, "resource must not be null");
    Decision decision = jit.check(grant.id(), action, resource);
    if (decision.reason() != reason) {
      throw fail("to deny " + action + " on " + resource + " with " + reason,
          Decision.deny(reason), decision);
    }
    return this;
  }

  /** A resource the pattern matches: {@code *} becomes a literal, a trailing {@code **} goes. */
  static String concreteResource(String pattern) {
    StringBuilder b = new StringBuilder();
    for (String segment : pattern.split("/", -1)) {
      if (segment.equals("**")) {
        break;
      }
      if (b.length() > 0) {
        b.append('/');
      }
      b.append(segment.equals("*") ? "x" : segment);
    }
    return b.length() == 0 ? "x" : b.toString();
  }

  private Grant requireKnown(String expectation, Object expected) {
    Optional<Grant> now = current();
    if (now.isEmpty()) {
      throw fail(expectation, expected, "unknown to the runtime");
    }
    return now.get();
  }

  private static String describeState(@Nullable Grant now) {
    if (now == null) {
      return "unknown to the runtime";
    }
    return now.isActive() ? "ACTIVE" : now.state() + " (" + now.endReason() + ")";
  }

  private AssertionFailedError fail(String expectation, Object expected, Object actual) {
    Grant now = current().orElse(null);
    StringBuilder b = new StringBuilder("expected grant ").append(Trails.redact(grant.id()))
        .append(' ').append(expectation).append('\n')
        .append("  expected: ").append(expected).append('\n')
        .append("  actual:   ").append(actual).append('\n')
        .append("  grant:    ").append(now == null ? "unknown to the runtime" : Trails.summary(now))
        .append('\n');
    if (audit == null) {
      b.append("  history:  not shown; call withAuditTrail(audit) to see the grant's audit events");
    } else {
      b.append("  history:\n").append(Trails.history(audit.eventsFor(grant.id())));
    }
    return new AssertionFailedError(b.toString().stripTrailing(), expected, actual);
  }

  @Override
  public String toString() {
    return "GrantAssert[" + Trails.redact(grant.id()) + "]";
  }
}
