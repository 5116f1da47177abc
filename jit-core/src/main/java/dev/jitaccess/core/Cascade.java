package dev.jitaccess.core;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a grant leaving ACTIVE: every descendant still ACTIVE ends too (EXPIRED if its own
 * time is up, else REVOKED with PARENT_REVOKED), and all of them are reported, parents first.
 * Without an executor all of it happens on the caller's thread; with one, the grant itself is
 * reported on the caller's thread and its descendants on the executor. A cascade the store fails
 * partway is retried on the scheduler: the descendants deny meanwhile (checks walk the ancestor
 * chain), and none is left unreported.
 */
final class Cascade {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);
  static final Duration RETRY = Duration.ofSeconds(1);

  private final Clock clock;
  private final Grants grants;
  private final Reporter reporter;
  private final Scheduler scheduler;
  private final @Nullable Executor executor;
  private final int maxDepth;

  Cascade(Clock clock, Grants grants, Reporter reporter, Scheduler scheduler,
      @Nullable Executor executor, int maxDepth) {
    this.clock = clock;
    this.grants = grants;
    this.reporter = reporter;
    this.scheduler = scheduler;
    this.executor = executor;
    this.maxDepth = maxDepth;
  }

  /** Called once {@code ended} has been recorded. */
  void afterEnded(Grant ended) {
    if (executor == null) {
      List<Grant> reported = new ArrayList<>();
      reported.add(ended);
      boolean complete = tryEndDescendants(ended, reported::add);
      for (Grant grant : reported) {
        reporter.ended(grant);
      }
      if (!complete) {
        retry(ended);
      }
      return;
    }
    reporter.ended(ended);
    try {
      executor.execute(() -> later(ended));
    } catch (Throwable e) { // an Error too (no thread to run it): run it here
      LOG.warn("Cascade executor refused the descendants of grant {}; ending them here",
          ended.reference(), e);
      later(ended);
    }
  }

  /**
   * Ends the descendants of a grant another runtime ended, in case that runtime stops before it
   * has: each is ended once, by whichever runtime's compare-and-set lands, and reported by it.
   */
  void afterEndedElsewhere(Grant ended) {
    if (executor == null) {
      later(ended);
      return;
    }
    try {
      executor.execute(() -> later(ended));
    } catch (Throwable e) { // an Error too (no thread to run it): run it here
      later(ended);
    }
  }

  private void later(Grant ended) {
    if (!tryEndDescendants(ended, reporter::ended)) {
      retry(ended);
    }
  }

  private boolean tryEndDescendants(Grant ended, Consumer<Grant> sink) {
    try {
      endDescendants(ended, sink);
      return true;
    } catch (Throwable e) { // an Error too: no descendant may be left unreported
      LOG.warn("Ending the descendants of grant {} failed; retrying in {}", ended.reference(),
          RETRY, e);
      return false;
    }
  }

  private void retry(Grant ended) {
    try {
      scheduler.schedule(() -> later(ended), RETRY);
    } catch (Throwable e) {
      LOG.error("Scheduling the retry for the descendants of grant {} failed; they deny, but are "
          + "not ended or reported", ended.reference(), e);
    }
  }

  /**
   * Ends each descendant of {@code ended} still ACTIVE, parents first; hands each to {@code sink}.
   * Walks at most {@code maxDepth} levels, so that grants inserted with a parent cycle cannot make
   * it loop.
   */
  private void endDescendants(Grant ended, Consumer<Grant> sink) {
    Instant now = clock.instant();
    List<String> level = List.of(ended.id());
    for (int depth = 0; !level.isEmpty(); depth++) {
      List<String> next = new ArrayList<>();
      for (String parentId : level) {
        Collection<Grant> children = grants.store().findByParent(parentId);
        if (depth == maxDepth && !children.isEmpty()) {
          LOG.warn("Grant {} has delegations deeper than maxDelegationDepth {}; they deny "
              + "through their ancestors but are not ended here", ended.reference(), maxDepth);
          return;
        }
        for (Grant child : children) {
          Grants.Outcome outcome = grants.applyFrom(child.id(), child, current -> !current.isActive()
              ? null
              : current.isExpiredAt(now)
                  ? current.end(GrantState.EXPIRED, RevocationReason.EXPIRED, now)
                  : current.end(GrantState.REVOKED, RevocationReason.PARENT_REVOKED, now));
          if (outcome.after != null) {
            sink.accept(outcome.after);
          }
          next.add(child.id());
        }
      }
      level = next;
    }
  }
}
