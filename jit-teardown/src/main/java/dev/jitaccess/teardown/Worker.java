package dev.jitaccess.teardown;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Works one entry at a time on its downstream's executor: re-reads it (dropping it if it changed
 * or is no longer leased here), keeps the lease ahead of the attempt, decides retention, makes the
 * attempt and records where the ladder goes next, then arms a timer for the next attempt.
 */
final class Worker {
  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);

  private final TeardownLedger ledger;
  private final Transitions transitions;
  private final Retention retention;
  private final Clock clock;
  private final Scheduler scheduler;
  private final String instanceId;
  private final Duration lease;
  private final Duration irrevocableRetry;
  private final Duration retainedRecheck;
  private volatile boolean closed;

  Worker(TeardownLedger ledger, Transitions transitions, Retention retention, Clock clock,
      Scheduler scheduler, String instanceId, Duration lease, Duration irrevocableRetry,
      Duration retainedRecheck) {
    this.retainedRecheck = retainedRecheck;
    this.ledger = ledger;
    this.transitions = transitions;
    this.retention = retention;
    this.clock = clock;
    this.scheduler = scheduler;
    this.instanceId = instanceId;
    this.lease = lease;
    this.irrevocableRetry = irrevocableRetry;
  }

  /** Hands {@code held}, leased here, to its downstream's executor. */
  void dispatch(Lane lane, TeardownEntry held) {
    if (!closed) {
      lane.submit(() -> work(lane, held));
    }
  }

  void close() {
    closed = true;
  }

  boolean isClosed() {
    return closed;
  }

  /** Arms a timer that dispatches {@code held} at its due time. */
  void wakeAt(Lane lane, TeardownEntry held) {
    Instant due = held.dueAt();
    if (closed || due == null) {
      return;
    }
    try {
      scheduler.schedule(() -> dispatch(lane, held), Duration.between(clock.instant(), due));
    } catch (RuntimeException e) {
      LOG.warn("the scheduler refused the timer of grant {} at downstream {}; the entry is claimed "
          + "by a poll once its lease passes", held.grantReference(), lane.name, e);
    }
  }

  /** One attempt at {@code held}, if it is still as this instance last stored it. */
  void work(Lane lane, TeardownEntry held) {
    if (closed) {
      return;
    }
    TeardownEntry current = ownedNow(lane, held);
    if (current == null) {
      return;
    }
    String entitlement = lane.entitlementOf(current.grant());
    if (current.state() == TeardownState.RETAINED) {
      entitlement = current.entitlement();
      current = recheck(lane, current);
    } else if (entitlement != null && (current.state() == TeardownState.PENDING
        || current.state() == TeardownState.IRREVOCABLE)) {
      current = retainOrGoOn(lane, current, entitlement);
    }
    if (current == null) {
      return;
    }
    Outcome outcome = lane.attempt(current.grant(), current.grantReference(), current.endReason());
    TeardownEntry next = after(lane, current, outcome, entitlement, clock.instant());
    if (transitions.transitionTo(current, next, true) && !next.isSettled()) {
      wakeAt(lane, next);
    }
  }

  /**
   * The entry as stored, if it is still {@code held}'s version and leased here, with a lease that
   * outlasts an attempt (renewed if not); null to drop the work.
   */
  private @Nullable TeardownEntry ownedNow(Lane lane, TeardownEntry held) {
    TeardownEntry current;
    try {
      current = ledger.get(held.grantId(), held.downstream());
    } catch (RuntimeException e) {
      LOG.error("teardown ledger failed to read the entry of grant {} at downstream {}; it is "
          + "claimed again once its lease passes", held.grantReference(), lane.name, e);
      return null;
    }
    if (current == null || current.version() != held.version()
        || !instanceId.equals(current.leaseOwner())) {
      return null; // worked, claimed or closed elsewhere meanwhile
    }
    Instant now = clock.instant();
    Instant due = current.dueAt();
    Instant leaseUntil = current.leaseUntil();
    if (due == null || leaseUntil == null) {
      return null;
    }
    if (due.isAfter(now)) {
      wakeAt(lane, current); // a timer that ran early
      return null;
    }
    if (leaseUntil.isBefore(now.plus(lane.leaseMargin))) {
      TeardownEntry renewed = current.withLease(instanceId, now.plus(lease), now);
      return transitions.transitionTo(current, renewed, false) ? renewed : null;
    }
    return current;
  }

  /**
   * RETAINED if another live grant of the subject still needs {@code entitlement}, checked again
   * once marked (and reopened if its keeper is gone); the entry to attempt, or null if retained.
   */
  private @Nullable TeardownEntry retainOrGoOn(Lane lane, TeardownEntry current,
      String entitlement) {
    String keeper = retention.keeper(lane, current.grant(), entitlement);
    if (keeper == null) {
      return current;
    }
    Instant at = clock.instant();
    TeardownEntry retained = current.toBuilder().state(TeardownState.RETAINED)
        .entitlement(entitlement).retainedBy(keeper).dueAt(at.plus(retainedRecheck))
        .lease(null, null).cause(null).updatedAt(at).version(current.version() + 1).build();
    if (!transitions.transitionTo(current, retained, false)) {
      return null;
    }
    if (retention.keeper(lane, current.grant(), entitlement) != null) {
      return null;
    }
    return reopen(lane, retained, keeper);
  }

  /**
   * A RETAINED entry's re-check: kept (with the keeper found now, re-checked again {@code
   * retainedRecheck} later) while a live grant of the subject still needs its entitlement, else
   * PENDING again; the entry to attempt, or null if it stays retained.
   */
  private @Nullable TeardownEntry recheck(Lane lane, TeardownEntry retained) {
    String entitlement = retained.entitlement();
    String keeper = entitlement == null ? null
        : retention.keeper(lane, retained.grant(), entitlement);
    if (keeper == null) {
      return reopen(lane, retained, retained.retainedBy());
    }
    Instant now = clock.instant();
    TeardownEntry kept = retained.toBuilder().retainedBy(keeper)
        .dueAt(now.plus(retainedRecheck)).lease(null, null).updatedAt(now)
        .version(retained.version() + 1).build();
    transitions.transitionTo(retained, kept, false);
    return null;
  }

  private @Nullable TeardownEntry reopen(Lane lane, TeardownEntry retained,
      @Nullable String keeper) {
    Instant now = clock.instant();
    TeardownEntry reopened = retained.toBuilder().state(TeardownState.PENDING).retainedBy(null)
        .dueAt(now).lease(instanceId, now.plus(lease))
        .cause("reopened: no live grant of the subject needs the entitlement any more")
        .updatedAt(now).version(retained.version() + 1).build();
    LOG.info("teardown of grant {} at downstream {} reopened: its entitlement's keeper {} is no "
        + "longer live", retained.grantReference(), lane.name, keeper);
    return transitions.transitionTo(retained, reopened, false) ? reopened : null;
  }

  /**
   * Makes the RETAINED entries at {@code lane} of the other ended grants of {@code ended}'s
   * subject that share its {@code entitlement} due now, leased here, and hands them over, so that
   * each is re-checked at once: {@code ended} may have been their keeper. An entry leased to
   * another instance is left to it.
   */
  void recheckRetained(Lane lane, Grant ended, String entitlement) {
    for (Grant other : retention.grantsOf(lane, ended.subject())) {
      if (closed || other.isActive() || other.id().equals(ended.id())) {
        continue;
      }
      TeardownEntry e;
      try {
        e = ledger.get(other.id(), lane.name);
      } catch (RuntimeException failure) {
        LOG.warn("teardown ledger failed to read an entry of grant {} at downstream {} to "
            + "re-check it; its periodic re-check still comes", other.reference(), lane.name,
            failure);
        continue;
      }
      Instant now = clock.instant();
      if (e == null || e.state() != TeardownState.RETAINED
          || !entitlement.equals(e.entitlement())
          || e.leaseUntil() != null && e.leaseUntil().isAfter(now)) {
        continue;
      }
      TeardownEntry due = e.toBuilder().dueAt(now).lease(instanceId, now.plus(lease))
          .updatedAt(now).version(e.version() + 1).build();
      if (transitions.transitionTo(e, due, false)) {
        dispatch(lane, due);
      }
    }
  }

  /** Where {@code current} goes after an attempt with {@code outcome}, at {@code now}. */
  TeardownEntry after(Lane lane, TeardownEntry current, Outcome outcome,
      @Nullable String entitlement, Instant now) {
    int attempts = current.attempts() + 1;
    TeardownEntry.Builder b = current.toBuilder().attempts(attempts).entitlement(entitlement)
        .retainedBy(null).updatedAt(now).version(current.version() + 1);
    switch (outcome.kind()) {
      case VERIFIED:
        return b.state(TeardownState.VERIFIED).dueAt(null).lease(null, null).cause(null).build();
      case ACKNOWLEDGED:
        return b.state(TeardownState.REVOKED).dueAt(null).lease(null, null).cause(null).build();
      case UNRECOVERABLE:
        return irrevocable(b, outcome, now);
      default:
        if (current.state() == TeardownState.IRREVOCABLE || attempts >= lane.ladder.attempts()) {
          return irrevocable(b, outcome, now);
        }
        TeardownState state = outcome.wasAcknowledged() ? TeardownState.REVOKED : current.state();
        Instant due = now.plus(lane.ladder.delayAfter(attempts,
            ThreadLocalRandom.current().nextDouble()));
        return b.state(state).dueAt(due).lease(instanceId, due.plus(lease))
            .cause(outcome.cause()).build();
    }
  }

  private TeardownEntry irrevocable(TeardownEntry.Builder b, Outcome outcome, Instant now) {
    Instant due = now.plus(irrevocableRetry);
    return b.state(TeardownState.IRREVOCABLE).dueAt(due).lease(instanceId, due.plus(lease))
        .cause(outcome.cause()).build();
  }
}
