package dev.jitaccess.teardown;

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
  private volatile boolean closed;

  Worker(TeardownLedger ledger, Transitions transitions, Retention retention, Clock clock,
      Scheduler scheduler, String instanceId, Duration lease, Duration irrevocableRetry) {
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
    if (entitlement != null && (current.state() == TeardownState.PENDING
        || current.state() == TeardownState.IRREVOCABLE)) {
      current = retainOrGoOn(lane, current, entitlement);
      if (current == null) {
        return;
      }
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
    TeardownEntry retained = current.toBuilder().state(TeardownState.RETAINED)
        .entitlement(entitlement).retainedBy(keeper).dueAt(null).lease(null, null).cause(null)
        .updatedAt(clock.instant()).version(current.version() + 1).build();
    if (!transitions.transitionTo(current, retained, false)) {
      return null;
    }
    if (retention.keeper(lane, current.grant(), entitlement) != null) {
      return null;
    }
    Instant now = clock.instant();
    TeardownEntry reopened = retained.toBuilder().state(TeardownState.PENDING).retainedBy(null)
        .dueAt(now).lease(instanceId, now.plus(lease))
        .cause("reopened: no live grant of the subject needs the entitlement any more")
        .updatedAt(now).version(retained.version() + 1).build();
    LOG.info("teardown of grant {} at downstream {} reopened: its entitlement's keeper {} ended "
        + "while it was retained", current.grantReference(), lane.name, keeper);
    return transitions.transitionTo(retained, reopened, false) ? reopened : null;
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
