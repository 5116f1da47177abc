package dev.jitaccess.core;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints grants: asks the policy, builds the grant, and publishes it (also for {@link Delegator}):
 * stores it, arms its expiry timer and records its start, or, if any of that fails or a
 * revocation of its task, subject or owner raced it, ends it before anyone holds its id.
 */
final class Minter {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);
  /** Why a grant that was stored, but whose request then failed, is not ACTIVE. */
  static final RevocationReason NOT_ISSUED = RevocationReason.of("NOT_ISSUED");

  private final Clock clock;
  private final Grants grants;
  private final Policies policies;
  private final Reporter reporter;
  private final AllowedChecks allowed;
  private final Expirer expirer;
  private final Barriers barriers;
  private final SharedNames names = new SharedNames();

  Minter(Clock clock, Grants grants, Policies policies, Reporter reporter, AllowedChecks allowed,
      Expirer expirer, Barriers barriers) {
    this.clock = clock;
    this.grants = grants;
    this.policies = policies;
    this.reporter = reporter;
    this.allowed = allowed;
    this.expirer = expirer;
    this.barriers = barriers;
  }

  Grant request(GrantRequest request) {
    policies.checkLimits(request.ttl().lifetime(), request.ttl().hardCap(), "ttl");
    refuseIfTaskEnded(request, null);
    PolicyDecision decision = policies.approve(request, null);
    Scope scope = policies.narrowedScope(request.scope(), decision, request, null);
    Duration lifetime = policies.narrowedLifetime(request.ttl().lifetime(), decision, request, null);
    Instant now = clock.instant();
    Duration cap = request.ttl().hardCap() == null ? policies.maxHardCap : request.ttl().hardCap();
    Instant expiresAt = Times.plus(now, lifetime, "ttl.lifetime");
    Instant notAfter = Times.max(expiresAt, Times.saturatedPlus(now, cap));
    Grant grant = Grant.issue(GrantIds.next(), request, scope, now, expiresAt, notAfter, null,
        names::share);
    return publish(grant, request, null, AuditEventType.ISSUED, null);
  }

  /** Refuses a request or delegation for a task that has ended. */
  void refuseIfTaskEnded(GrantRequest request, @Nullable Grant parent) {
    if (barriers.isEnded(request.task())) {
      throw policies.refuse(request, parent, Barriers.TASK_ENDED,
          "task " + request.task() + " has ended and accepts no new grant", null);
    }
  }

  Grant issue(String id, GrantRequest request, Scope scope, Instant issuedAt, Instant expiresAt,
      Instant notAfter, @Nullable String parentId) {
    return Grant.issue(id, request, scope, issuedAt, expiresAt, notAfter, parentId, names::share);
  }

  /**
   * Stores {@code grant}, arms its timer and records its start ({@code type}). If a step fails,
   * or a revocation by its task, subject or owner began meanwhile, the grant is ended before
   * anyone holds its id, {@code onAbandoned} runs (if the grant is known not ACTIVE), and the
   * failure is thrown.
   */
  Grant publish(Grant grant, GrantRequest request, @Nullable Grant parent, AuditEventType type,
      @Nullable Runnable onAbandoned) {
    long entered = barriers.enter();
    reporter.hold(grant.id());
    LongAdder counter = allowed.open(grant.id());
    try {
      grants.store().insert(grant);
    } catch (Throwable e) { // an Error too: no ACTIVE grant may stay stored without its timer
      abandon(grant, counter, e, onAbandoned);
      throw e;
    }
    String refusal = barriers.refusal(entered, grant.task(), grant.subject(), grant.owner());
    if (refusal != null) {
      GrantDeniedException denied = policies.refuse(request, parent, refusal,
          refusal.equals(Barriers.TASK_ENDED)
              ? "task " + grant.task() + " ended while the request was in flight"
              : "a revocation of its " + (refusal.equals(Barriers.SUBJECT_REVOKED) ? "subject"
                  : "owner") + " began while the request was in flight", null);
      abandon(grant, counter, denied, onAbandoned);
      throw denied;
    }
    try {
      expirer.schedule(grant.id(), grant.expiresAt());
    } catch (Throwable e) {
      abandon(grant, counter, e, onAbandoned);
      if (e instanceof RuntimeException) {
        throw policies.refuse(request, parent, "SCHEDULER_FAILURE",
            "the expiry timer could not be scheduled: " + e, e);
      }
      throw e;
    }
    reporter.started(type, grant, request);
    return grant;
  }

  /**
   * Ends {@code grant} (REVOKED, {@code NOT_ISSUED}) before anyone holds its id, so the store keeps
   * no ACTIVE grant that no timer will end, and forgets its reports and counter. Only this very
   * grant is ended (by version): a different snapshot under its id is not this request's. If the
   * store fails, the grant keeps a timer if one can be armed; the failure is added to {@code
   * failure}.
   */
  private void abandon(Grant grant, @Nullable LongAdder counter, Throwable failure,
      @Nullable Runnable onAbandoned) {
    reporter.abandoned(grant.id());
    allowed.discard(grant.id(), counter);
    boolean inactive;
    try {
      Grants.Outcome outcome = grants.applyFrom(grant.id(), grants.get(grant.id()),
          current -> current.isActive() && current.isSameIssueAs(grant)
              ? current.end(GrantState.REVOKED, NOT_ISSUED, clock.instant())
              : null);
      Grant now = outcome.after != null ? outcome.after : outcome.before;
      inactive = now == null || !now.isActive() || !now.isSameIssueAs(grant);
    } catch (Throwable e) {
      suppress(failure, e);
      LOG.error("Could not end grant {} of a failed request; checks deny it at {}",
          grant.reference(), grant.expiresAt(), e);
      inactive = false;
      try {
        expirer.schedule(grant.id(), grant.expiresAt());
      } catch (Throwable again) {
        suppress(failure, again);
      }
    }
    if (inactive && onAbandoned != null) {
      onAbandoned.run();
    }
  }

  /** Adds {@code later} to {@code failure}, unless it is the same throwable (a rethrown one). */
  static void suppress(Throwable failure, Throwable later) {
    if (later != failure) {
      failure.addSuppressed(later);
    }
  }

  int sharedNameCount() {
    return names.size();
  }
}
