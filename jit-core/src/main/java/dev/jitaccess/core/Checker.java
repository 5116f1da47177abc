package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStatus;
import dev.jitaccess.Permission;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.StaleViewException;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides checks. Never throws: whatever a backend or the clock throws is a denial. An allowed
 * check of a grant without a use budget takes no lock and allocates nothing; one with a budget
 * spends a use by compare-and-set, deciding again on every snapshot it reads, a bounded number of
 * times.
 */
final class Checker {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);
  private static final Decision ALLOW = Decision.allow();
  private static final Decision UNKNOWN = Decision.deny(DenyReason.UNKNOWN_GRANT);
  private static final Decision OUT_OF_SCOPE = Decision.deny(DenyReason.OUT_OF_SCOPE);
  private static final Decision MALFORMED = Decision.deny(DenyReason.MALFORMED_REQUEST);
  private static final Decision CONTENTION =
      Decision.deny(DenyReason.BACKEND_FAILURE, "the store kept refusing the use");

  private final Clock clock;
  private final Grants grants;
  private final Lineage lineage;
  private final Cascade cascade;
  private final Reporter reporter;
  private final AllowedChecks allowed;
  private final boolean counting;

  Checker(Clock clock, Grants grants, Lineage lineage, Cascade cascade, Reporter reporter,
      AllowedChecks allowed) {
    this.clock = clock;
    this.grants = grants;
    this.lineage = lineage;
    this.cascade = cascade;
    this.reporter = reporter;
    this.allowed = allowed;
    this.counting = allowed.enabled();
  }

  Decision check(@Nullable String grantId, @Nullable String action, @Nullable String resource) {
    Decision decision;
    try {
      decision = evaluate(grantId, action, resource);
    } catch (StaleViewException e) { // a shared store that cannot prove its view is fresh
      decision = Decision.deny(DenyReason.STALE_VIEW, String.valueOf(e.getMessage()));
    } catch (Throwable e) { // an Error from a backend or the clock too: a check denies
      LOG.debug("Check failed; denying", e); // the DENIED event records it
      decision = Decision.deny(DenyReason.BACKEND_FAILURE, e.getClass().getSimpleName());
    }
    if (decision.isDenied()) {
      recordDenial(grantId, action, resource, decision);
    }
    return decision;
  }

  private Decision evaluate(@Nullable String grantId, @Nullable String action,
      @Nullable String resource) {
    if (grantId == null || grantId.isEmpty() || grantId.length() > Validation.MAX_TEXT_LENGTH) {
      return UNKNOWN;
    }
    // No character scan first: a malformed id is never a key, so the lookup misses.
    Grant grant = grants.get(grantId);
    for (int attempt = 0; attempt < Grants.MAX_ATTEMPTS; attempt++) {
      if (grant == null) {
        return UNKNOWN;
      }
      if (!grant.isActive() || !grant.isWithinValidity(clock)) {
        Instant now = clock.instant();
        Decision unusable = Lineage.ownDenial(grant, now);
        if (unusable == null) {
          grant = grants.get(grantId); // the clock moved back into the window: decide again
          continue;
        }
        if (grant.isActive() && unusable.reason() == DenyReason.EXPIRED) {
          Grant renewed = endExpired(grant, now);
          if (renewed != null) {
            grant = renewed; // renewed meanwhile: decide again on what is stored now
            continue;
          }
        }
        return unusable;
      }
      if (!grant.scope().permits(action, resource)) {
        return Permission.isWellFormedRequest(action, resource) ? OUT_OF_SCOPE : MALFORMED;
      }
      if (grant.parentId() != null) {
        Decision ancestors = lineage.ancestorDenial(grant, clock.instant());
        if (ancestors != null) {
          return ancestors;
        }
      }
      if (!grant.hasUseBudget()) {
        if (counting) {
          allowed.count(grant, action, resource, clock.instant(), false);
        }
        return ALLOW;
      }
      Instant now = clock.instant();
      Grant next = grant.withUseSpent(now);
      if (!grants.compareAndSet(grant, next)) {
        grant = grants.get(grantId); // lost a race for the budget: decide on the new snapshot
        continue;
      }
      // Counted before the last use's terminal report, which carries the count.
      if (counting) {
        allowed.count(grant, action, resource, now, !next.isActive());
      }
      if (!next.isActive()) {
        cascade.afterEnded(next);
      }
      return ALLOW;
    }
    return CONTENTION;
  }

  /**
   * Ends a grant that a check found ACTIVE past its expiry (its timer has not run yet), and
   * reports it, as its timer would have. Once a check has denied a grant as expired, a renewal
   * that read the clock before the expiry but stores its extension only after it can no longer
   * bring the grant back: its compare-and-set fails against the ended grant.
   *
   * <p>A store that fails here leaves the grant to its timer; the check still denies it.
   *
   * @return the stored grant if it is ACTIVE and no longer expired (renewed meanwhile), else null
   */
  private @Nullable Grant endExpired(Grant grant, Instant now) {
    Grants.Outcome outcome;
    try {
      outcome = grants.applyFrom(grant.id(), grant, current -> current.isActive()
          && current.isExpiredAt(now)
              ? current.end(GrantState.EXPIRED, RevocationReason.EXPIRED, now)
              : null);
    } catch (Throwable e) { // an Error too: the decision is a denial either way
      LOG.warn("Ending expired grant {} on a check failed; its timer ends it", grant.reference(),
          e);
      return null;
    }
    if (outcome.after != null) {
      cascade.afterEnded(outcome.after);
      return null;
    }
    Grant current = outcome.before;
    return current != null && current.isActive() ? current : null;
  }

  /** The status of a grant and its ancestors now. */
  GrantStatus status(String grantId) {
    if (!Validation.isWellFormedId(grantId)) {
      return GrantStatus.unknown();
    }
    Grant grant = grants.get(grantId);
    return grant == null ? GrantStatus.unknown() : lineage.status(grant, clock.instant());
  }

  /**
   * Audits a denial; for a known grant, whose it is. Reads the grant again rather than carrying it
   * out of the decision, so that the allowed path carries nothing.
   */
  private void recordDenial(@Nullable String grantId, @Nullable String action,
      @Nullable String resource, Decision decision) {
    try {
      String id = Validation.isWellFormedId(grantId) ? grantId : null;
      Grant grant = id == null || decision.reason() == DenyReason.UNKNOWN_GRANT ? null
          : grants.getQuietly(id);
      reporter.audit(AuditEvent.denial(reporter.now(), grant, id,
          String.valueOf(decision.reason()), action, resource, decision.detail()));
    } catch (Throwable e) { // a check never throws
      LOG.error("Recording a denial failed", e);
    }
  }
}
