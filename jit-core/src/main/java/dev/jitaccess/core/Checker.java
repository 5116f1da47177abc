package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.CheckContext;
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
 *
 * <p>With anomaly detectors registered, an allowed check pays for them only when it has a context
 * and source pinning is on (one string compare), or a detector watches allowed checks; denials
 * are shown to the detectors after they are audited.
 */
final class Checker {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);
  private static final Decision ALLOW = Decision.allow();
  private static final Decision UNKNOWN = Decision.deny(DenyReason.UNKNOWN_GRANT);
  private static final Decision OUT_OF_SCOPE = Decision.deny(DenyReason.OUT_OF_SCOPE);
  private static final Decision MALFORMED = Decision.deny(DenyReason.MALFORMED_REQUEST);
  private static final Decision CONTENTION =
      Decision.deny(DenyReason.BACKEND_FAILURE, "the store kept refusing the use");
  private static final Decision NO_CONTEXT =
      Decision.deny(DenyReason.MALFORMED_REQUEST, "context must not be null");

  private final Clock clock;
  private final Grants grants;
  private final Lineage lineage;
  private final Cascade cascade;
  private final Reporter reporter;
  private final AllowedChecks allowed;
  private final boolean counting;
  private final @Nullable Anomalies anomalies;
  /** Source pinning is on: an allowed check with a context compares sources. */
  private final boolean pinning;
  /** A detector other than source pinning watches allowed checks. */
  private final boolean watchingAllowed;

  Checker(Clock clock, Grants grants, Lineage lineage, Cascade cascade, Reporter reporter,
      AllowedChecks allowed, @Nullable Anomalies anomalies) {
    this.clock = clock;
    this.grants = grants;
    this.lineage = lineage;
    this.cascade = cascade;
    this.reporter = reporter;
    this.allowed = allowed;
    this.counting = allowed.enabled();
    this.anomalies = anomalies;
    this.pinning = anomalies != null && anomalies.pinsSources();
    this.watchingAllowed = anomalies != null && anomalies.watchesAllowed();
  }

  Decision check(@Nullable String grantId, @Nullable String action, @Nullable String resource) {
    return decide(grantId, action, resource, null);
  }

  /** A check that says where it comes from; a null context denies (MALFORMED_REQUEST). */
  Decision check(@Nullable String grantId, @Nullable String action, @Nullable String resource,
      @Nullable CheckContext context) {
    if (context == null) {
      recordDenial(grantId, action, resource, NO_CONTEXT, null);
      return NO_CONTEXT;
    }
    return decide(grantId, action, resource, context);
  }

  private Decision decide(@Nullable String grantId, @Nullable String action,
      @Nullable String resource, @Nullable CheckContext context) {
    Decision decision;
    try {
      decision = evaluate(grantId, action, resource, context);
    } catch (StaleViewException e) { // a shared store that cannot prove its view is fresh
      decision = Decision.deny(DenyReason.STALE_VIEW, String.valueOf(e.getMessage()));
    } catch (Throwable e) { // an Error from a backend or the clock too: a check denies
      LOG.debug("Check failed; denying", e); // the DENIED event records it
      decision = Decision.deny(DenyReason.BACKEND_FAILURE, e.getClass().getSimpleName());
    }
    if (decision.isDenied()) {
      recordDenial(grantId, action, resource, decision, context);
    }
    return decision;
  }

  private Decision evaluate(@Nullable String grantId, @Nullable String action,
      @Nullable String resource, @Nullable CheckContext context) {
    if (grantId == null || grantId.isEmpty() || grantId.length() > Validation.MAX_TEXT_LENGTH) {
      return UNKNOWN;
    }
    // No character scan first: a malformed id is never a key, so the lookup misses.
    Grant grant = grants.get(grantId);
    boolean inspected = false;
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
      if ((watchingAllowed || (pinning && context != null)) && !inspected) {
        inspected = true; // once per check, also when a lost race for a use decides again
        Decision flagged = beforeAllow(grant, action, resource, context);
        if (flagged != null) {
          return flagged;
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
   * What the anomaly detectors make of a check about to allow: null to allow, else the denial.
   * Source pinning first, as one string compare; then the detectors that watch allowed checks.
   */
  private @Nullable Decision beforeAllow(Grant grant, @Nullable String action,
      @Nullable String resource, @Nullable CheckContext context) {
    Anomalies detection = anomalies;
    if (detection == null) {
      return null;
    }
    if (pinning && context != null) {
      String pinned = grant.source();
      if (pinned != null && !pinned.equals(context.source())) {
        return detection.sourceMismatch(grant, action, resource, context);
      }
    }
    return watchingAllowed ? detection.inspectAllowed(grant, action, resource, context) : null;
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
   * out of the decision, so that the allowed path carries nothing. Then shows the denial of a known
   * grant to the anomaly detectors, unless they made it.
   */
  private void recordDenial(@Nullable String grantId, @Nullable String action,
      @Nullable String resource, Decision decision, @Nullable CheckContext context) {
    Grant grant = null;
    Instant now = null;
    try {
      String id = Validation.isWellFormedId(grantId) ? grantId : null;
      grant = id == null || decision.reason() == DenyReason.UNKNOWN_GRANT ? null
          : grants.getQuietly(id);
      now = reporter.now();
      reporter.audit(AuditEvent.denial(now, grant, id,
          String.valueOf(decision.reason()), action, resource, decision.detail()));
    } catch (Throwable e) { // a check never throws
      LOG.error("Recording a denial failed", e);
    }
    Anomalies detection = anomalies;
    if (detection != null && grant != null && now != null && decision != NO_CONTEXT
        && !detection.isOwn(decision)) {
      try {
        detection.inspectDenied(grant, action, resource, context, decision, now);
      } catch (Throwable e) { // unreachable: it guards every call out; a check never throws
        LOG.error("Anomaly detection failed on a denial of grant {}", grant.reference());
      }
    }
  }
}
