package dev.jitaccess.governance;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.spi.BreakGlassLock;
import dev.jitaccess.governance.spi.Notification;
import dev.jitaccess.spi.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Meets deadlines: expires requests not approved or not activated in time, and ends break-glass
 * whose review was missed. Each change is a compare-and-set, so replicas sweeping together make
 * it once.
 */
final class Deadlines {
  /** The reason a break-glass grant is revoked when its review is missed. */
  static final RevocationReason UNREVIEWED = RevocationReason.of("BREAK_GLASS_UNREVIEWED");
  private static final Logger LOG = LoggerFactory.getLogger(Governance.class);
  private static final int BATCH = 100;

  private final Context ctx;
  private final JitAccess access;
  private final Map<String, Scheduler.Cancellable> timers = new ConcurrentHashMap<>();
  private volatile boolean closed;

  Deadlines(Context ctx, JitAccess access) {
    this.ctx = ctx;
    this.access = access;
  }

  /** Arms a timer for {@code r}'s deadline, if it has one. */
  void schedule(AccessRequest r) {
    Instant deadline = r.deadline();
    if (deadline == null || closed) {
      return;
    }
    Duration delay = Duration.between(ctx.clock.instant(), deadline);
    try {
      Scheduler.Cancellable timer = ctx.scheduler.schedule(this::sweepQuietly,
          delay.isNegative() ? Duration.ZERO : delay);
      Scheduler.Cancellable previous = timers.put(r.id(), timer);
      if (previous != null) {
        previous.cancel();
      }
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).addKeyValue("request", r.id())
          .log("could not arm the deadline timer; sweep() will meet it");
    }
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("deadline sweep failed; the next sweep retries");
    }
  }

  int sweep() {
    int changed = 0;
    while (true) {
      List<AccessRequest> due = ctx.store.due(ctx.clock.instant(), BATCH);
      int before = changed;
      for (AccessRequest r : due) {
        timers.remove(r.id());
        if (act(r).won()) {
          changed++;
        }
      }
      if (due.size() < BATCH || changed == before) {
        return changed;
      }
    }
  }

  /** {@code r} as it is once its passed deadline, if any, is met: the stored snapshot. */
  AccessRequest current(AccessRequest r) {
    Instant deadline = r.deadline();
    return deadline == null || deadline.isAfter(ctx.clock.instant()) ? r : act(r).request();
  }

  /** A request after its deadline was met, and whether this call's compare-and-set met it. */
  private record Acted(AccessRequest request, boolean won) {}

  private Acted lost(AccessRequest r) {
    AccessRequest stored = ctx.store.get(r.id());
    return new Acted(stored == null ? r : stored, false);
  }

  /** Meets {@code r}'s passed deadline: the snapshot after (or the newer stored one). */
  private Acted act(AccessRequest r) {
    Instant now = ctx.clock.instant();
    Instant deadline = r.deadline();
    if (deadline == null || deadline.isAfter(now)) {
      return new Acted(r, false);
    }
    if (r.state() == RequestState.ACTIVE) {
      return missedReview(r, now);
    }
    AccessRequest next = r.moveTo(RequestState.EXPIRED, now);
    if (!ctx.store.compareAndSet(r, next)) {
      return lost(r);
    }
    ctx.record(ctx.event(AuditEventType.REQUEST_EXPIRED, next, null)
        .reason(r.state() == RequestState.PENDING ? "NOT_APPROVED_IN_TIME"
            : "NOT_ACTIVATED_IN_TIME").build());
    return new Acted(next, true);
  }

  /**
   * Revokes the grant of an unreviewed break-glass and locks its subject, then records the
   * missed review: in that order, so that a crash between leaves the grant ended and the
   * request still due.
   */
  private Acted missedReview(AccessRequest r, Instant now) {
    String grantId = r.grantId();
    if (grantId != null) {
      access.revoke(grantId, UNREVIEWED);
    }
    BreakGlassLock lock = new BreakGlassLock(r.subject(), r.owner(), r.id(), now);
    ctx.store.lock(lock);
    AccessRequest next = r.toBuilder().review(new Review(null, Review.Verdict.MISSED,
        "no review by " + r.reviewDue(), now)).version(r.version() + 1).build();
    if (!ctx.store.compareAndSet(r, next)) {
      return lost(r);
    }
    ctx.record(ctx.event(AuditEventType.BREAK_GLASS_LOCKED, next, null).grantId(grantId)
        .reason("REVIEW_MISSED").detail("review was due at " + r.reviewDue()).build());
    EligibilityRule rule = ctx.rules.get(r.rule()).orElse(null);
    ctx.notify(new Notification(Notification.Kind.REVIEW_MISSED,
        ctx.approversAndOwner(rule, r.owner()), r.id(), r.subject(), r.tier(),
        "break-glass of " + r.subject() + " was not reviewed by " + r.reviewDue()
            + ": its grant is revoked and its break-glass locked until an owner unlocks it",
        r.reviewDue()));
    return new Acted(next, true);
  }

  void close() {
    closed = true;
    timers.values().forEach(Scheduler.Cancellable::cancel);
    timers.clear();
  }
}
