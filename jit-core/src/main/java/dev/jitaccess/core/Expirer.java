package dev.jitaccess.core;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.spi.Scheduler;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends grants at their expiry, proactively: one timer per grant in an {@link ExpiryQueue} on the
 * scheduler. On start it arms a timer for every ACTIVE grant the store lists, also those another
 * process minted, so a grant whose process is gone is still ended and reported at its expiry.
 */
final class Expirer {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);
  /** How many ACTIVE grants one page of the start-up listing holds. */
  static final int PAGE = 1000;

  private final Clock clock;
  private final Grants grants;
  private final Cascade cascade;
  private final ExpiryQueue queue;
  private final BooleanSupplier closed;

  Expirer(Clock clock, Scheduler scheduler, Grants grants, Cascade cascade,
      BooleanSupplier closed) {
    this.clock = clock;
    this.grants = grants;
    this.cascade = cascade;
    this.closed = closed;
    this.queue = new ExpiryQueue(scheduler, clock, this::expire);
  }

  /**
   * Arms a timer for the grant's expiry.
   *
   * @throws RuntimeException what the scheduler threw, if it refused
   */
  void schedule(String grantId, Instant at) {
    queue.add(grantId, at);
  }

  /** Arms a timer for every ACTIVE grant in the store; returns how many. */
  int rearm() {
    int armed = 0;
    Grant after = null;
    while (true) {
      List<Grant> page = grants.store().findActiveByExpiry(after, PAGE);
      if (page.isEmpty()) {
        return armed;
      }
      for (Grant grant : page) {
        queue.add(grant.id(), grant.expiresAt());
        armed++;
      }
      after = page.get(page.size() - 1);
    }
  }

  /** The timer of one grant: ends it if its time is up, else waits for its (renewed) expiry. */
  private void expire(String grantId) {
    if (closed.getAsBoolean()) {
      return;
    }
    try {
      Instant now = clock.instant();
      Grants.Outcome outcome = grants.apply(grantId, grant -> grant.isActive()
          && !now.isBefore(grant.expiresAt())
              ? grant.end(GrantState.EXPIRED, RevocationReason.EXPIRED, now)
              : null);
      if (outcome.after != null) {
        cascade.afterEnded(outcome.after);
      } else if (outcome.before != null && outcome.before.isActive()) {
        queue.add(grantId, outcome.before.expiresAt()); // renewed: wait for the new expiry
      }
    } catch (Throwable e) { // an Error too: a timer that is not retried loses the expiry
      LOG.warn("Expiring grant {} failed; retrying in {}", dev.jitaccess.GrantReference.of(grantId),
          Cascade.RETRY, e);
      try {
        queue.add(grantId, Times.saturatedPlus(clock.instant(), Cascade.RETRY));
      } catch (Throwable again) {
        LOG.error("Scheduling the retry for grant {} failed; checks still deny it at its expiry",
            dev.jitaccess.GrantReference.of(grantId), again);
      }
    }
  }

  int pending() {
    return queue.size();
  }
}
