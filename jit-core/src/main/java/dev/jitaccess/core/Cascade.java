package dev.jitaccess.core;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
  /** How many parents, and how many children, the cascade hands the store per call. */
  static final int BATCH = 1000;

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
   * Level by level: the store ends the ACTIVE children of up to {@value #BATCH} parents at a time,
   * {@value #BATCH} per call, and the children found, ACTIVE or not, are the next level's parents
   * (so the descendants of a child ended earlier, by a cascade that failed or stopped partway, are
   * still reached). Walks at most {@code maxDepth} levels, so that grants inserted with a parent
   * cycle cannot make it loop.
   */
  private void endDescendants(Grant ended, Consumer<Grant> sink) {
    Instant now = clock.instant();
    GrantStore store = grants.store();
    List<String> level = List.of(ended.id());
    for (int depth = 0; !level.isEmpty(); depth++) {
      List<String> next = new ArrayList<>();
      for (int from = 0; from < level.size(); from += BATCH) {
        List<String> parents = level.subList(from, Math.min(level.size(), from + BATCH));
        if (depth == maxDepth) {
          if (!store.findByParents(parents).isEmpty()) {
            LOG.warn("Grant {} has delegations deeper than maxDelegationDepth {}; they deny "
                + "through their ancestors but are not ended here", ended.reference(), maxDepth);
            return;
          }
          continue;
        }
        List<Grant> batch;
        do {
          batch = store.endChildren(parents, now, BATCH);
          for (Grant child : batch) {
            sink.accept(child);
          }
        } while (!batch.isEmpty());
        for (Grant child : store.findByParents(parents)) {
          next.add(child.id());
        }
      }
      level = next;
    }
  }
}
