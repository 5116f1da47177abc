package dev.jitaccess.teardown;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.RevocationListener;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.Slf4jAuditSink;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.governance.spi.LingeringSource;
import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.teardown.spi.EndedGrants;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link Teardown}: lanes per downstream, the worker, the listener and the poll. */
final class DefaultTeardown implements Teardown {
  private static final Logger LOG = LoggerFactory.getLogger(Teardown.class);
  private static final int DELETE_BATCH = 1000;
  private static final Duration MAX_INSERT_RETRY = Duration.ofMinutes(1);

  private final Clock clock;
  private final Scheduler scheduler;
  private final @Nullable ScheduledThreadPoolExecutor ownScheduler;
  private final TeardownLedger ledger;
  private final Transitions transitions;
  private final Worker worker;
  private final Map<String, Lane> lanes = new LinkedHashMap<>();
  private final String instanceId;
  private final Duration lease;
  private final Duration pollInterval;
  private final Duration settledRetention;
  private final int claimBatch;
  private final RevocationListener listener = this::onRevocation;
  private volatile Scheduler.@Nullable Cancellable poll;
  private final @Nullable Reconciler reconciler;
  private final @Nullable Duration reconcileEvery;
  private final @Nullable Duration reconcileLookBack;
  private volatile Scheduler.@Nullable Cancellable reconcileTimer;

  private DefaultTeardown(Teardown.Builder b) {
    this.clock = b.clock == null ? Clock.systemUTC() : b.clock;
    if (b.scheduler == null) {
      ScheduledThreadPoolExecutor own = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "jit-teardown-timer");
        t.setDaemon(true);
        return t;
      });
      own.setRemoveOnCancelPolicy(true);
      this.ownScheduler = own;
      this.scheduler = (task, delay) -> {
        ScheduledFuture<?> f = own.schedule(task, Math.max(0, delay.toNanos()),
            TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
      };
    } else {
      this.ownScheduler = null;
      this.scheduler = b.scheduler;
    }
    this.ledger = b.ledger == null ? new InMemoryTeardownLedger() : b.ledger;
    AuditSink audit = b.auditSink == null
        ? Slf4jAuditSink.builder().clock(clock).build() : b.auditSink;
    this.transitions = new Transitions(ledger, audit,
        b.alerts == null ? new LoggingTeardownAlerts() : b.alerts, clock);
    this.instanceId = b.instanceId == null ? "teardown-" + UUID.randomUUID() : b.instanceId;
    this.lease = b.lease == null ? Builder.DEFAULT_LEASE : b.lease;
    this.pollInterval = b.pollInterval == null ? Builder.DEFAULT_POLL_INTERVAL : b.pollInterval;
    this.settledRetention = b.settledRetention == null
        ? Builder.DEFAULT_SETTLED_RETENTION : b.settledRetention;
    this.claimBatch = b.claimBatch == 0 ? Builder.DEFAULT_CLAIM_BATCH : b.claimBatch;
    this.worker = new Worker(ledger, transitions, new Retention(b.grants, clock), clock,
        scheduler, instanceId, lease,
        b.irrevocableRetry == null ? Builder.DEFAULT_IRREVOCABLE_RETRY : b.irrevocableRetry,
        b.retainedRecheck == null ? Builder.DEFAULT_RETAINED_RECHECK : b.retainedRecheck);
    RetryLadder ladder = b.ladder == null ? RetryLadder.ofDefaults() : b.ladder;
    for (String name : b.names()) {
      lanes.put(name, new Lane(name, b.downstreams.get(name), b.options.get(name), ladder));
    }
    this.reconciler = b.endedGrants == null ? null
        : new Reconciler(b.endedGrants, ledger, b.names(), this::ended);
    this.reconcileEvery = b.reconcileEvery;
    this.reconcileLookBack = b.reconcileLookBack;
  }

  static DefaultTeardown create(Teardown.Builder b) {
    DefaultTeardown teardown = new DefaultTeardown(b);
    teardown.armPoll();
    teardown.armReconcile(Duration.ZERO);
    return teardown;
  }

  @Override
  public RevocationListener listener() {
    return listener;
  }

  /** Inserts one entry per downstream, leased here, and hands those it inserted to their lanes. */
  private void onRevocation(Grant grant, RevocationReason reason) {
    Objects.requireNonNull(grant, "grant must not be null");
    if (grant.isActive()) {
      LOG.warn("teardown listener called for grant {}, which is still ACTIVE; ignored",
          GrantReference.of(grant.id()));
      return;
    }
    ended(grant);
  }

  /**
   * Inserts {@code grant}'s entries and, at each downstream where it has an entitlement, has the
   * RETAINED entries of its subject's other grants re-checked at once (it may have kept them).
   */
  private void ended(Grant grant) {
    String reference = grant.reference();
    for (Lane lane : lanes.values()) {
      insert(lane, grant, reference, Duration.ZERO);
      String entitlement = lane.entitlementOf(grant);
      if (entitlement != null && !worker.isClosed()) {
        lane.submit(() -> worker.recheckRetained(lane, grant, entitlement));
      }
    }
  }

  @Override
  public LingeringSource lingeringSource(Duration deadline) {
    Objects.requireNonNull(deadline, "deadline must not be null");
    if (deadline.isNegative()) {
      throw new IllegalArgumentException("deadline must be >= 0, was " + deadline);
    }
    return new LingeringRows(ledger, deadline);
  }

  @Override
  public int reconcile(EndedGrants source, Instant since) {
    Objects.requireNonNull(source, "source must not be null");
    Objects.requireNonNull(since, "since must not be null");
    return new Reconciler(source, ledger, new ArrayList<>(lanes.keySet()), this::ended)
        .sweep(since);
  }

  private void armReconcile(Duration delay) {
    Reconciler r = reconciler;
    Duration every = reconcileEvery;
    Duration lookBack = reconcileLookBack;
    if (r == null || every == null || lookBack == null || worker.isClosed()) {
      return;
    }
    try {
      reconcileTimer = scheduler.schedule(() -> {
        try {
          r.sweepLogged(clock.instant().minus(lookBack), lookBack);
        } finally {
          armReconcile(every);
        }
      }, delay);
    } catch (RuntimeException e) {
      LOG.error("the scheduler refused the teardown reconciliation sweep; ends that were not "
          + "heard are found only by reconcile()", e);
    }
  }

  /**
   * Inserts {@code grant}'s entry at {@code lane} and hands it over if this call stored it. If the
   * ledger fails, the insert is tried again on the scheduler, one second later and then twice as
   * long each time up to a minute, until it is stored or this teardown is closed.
   */
  private void insert(Lane lane, Grant grant, String reference, Duration failedFor) {
    boolean closed = worker.isClosed();
    Instant now = clock.instant();
    TeardownEntry entry = TeardownEntry.builder(grant, reference, lane.name).createdAt(now)
        .updatedAt(now).dueAt(now)
        .lease(closed ? null : instanceId, closed ? null : now.plus(lease)).build();
    boolean inserted;
    try {
      inserted = ledger.insert(entry);
    } catch (RuntimeException e) {
      Duration next = failedFor.isZero() ? Duration.ofSeconds(1)
          : failedFor.multipliedBy(2).compareTo(MAX_INSERT_RETRY) > 0 ? MAX_INSERT_RETRY
          : failedFor.multipliedBy(2);
      LOG.error("teardown ledger failed to record that grant {} ended, for downstream {}; tried "
          + "again in {}", reference, lane.name, next, e);
      if (!closed) {
        try {
          scheduler.schedule(() -> insert(lane, grant, reference, next), next);
        } catch (RuntimeException refused) {
          LOG.error("the scheduler refused to retry the entry of grant {} at downstream {}; it "
              + "is not torn down by this replica", reference, lane.name, refused);
        }
      }
      return;
    }
    if (inserted) {
      worker.dispatch(lane, entry);
    }
  }

  @Override
  public List<TeardownEntry> entries(String grantId) {
    Objects.requireNonNull(grantId, "grantId must not be null");
    List<TeardownEntry> found = new ArrayList<>(ledger.entriesOf(grantId));
    found.sort(Comparator.comparing(TeardownEntry::downstream));
    return found;
  }

  @Override
  public List<TeardownEntry> lingering(Duration olderThan, int limit) {
    Objects.requireNonNull(olderThan, "olderThan must not be null");
    if (olderThan.isNegative()) {
      throw new IllegalArgumentException("olderThan must be >= 0, was " + olderThan);
    }
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0, was " + limit);
    }
    return ledger.lingering(clock.instant().minus(olderThan), limit);
  }

  @Override
  public TeardownEntry forceClose(String grantId, String downstream, String reason,
      String actor) {
    Objects.requireNonNull(grantId, "grantId must not be null");
    Texts.downstream(downstream, "downstream");
    Texts.text(reason, "reason");
    Texts.text(actor, "actor");
    for (int tries = 0; tries < 1000; tries++) {
      TeardownEntry current = ledger.get(grantId, downstream);
      if (current == null) {
        throw new IllegalArgumentException("no teardown entry for grant "
            + GrantReference.of(grantId) + " at downstream " + downstream);
      }
      if (current.state().isFinal()) {
        throw new TeardownStateException(current, "close it");
      }
      TeardownEntry closed = current.toBuilder().state(TeardownState.CLOSED).dueAt(null)
          .lease(null, null).retainedBy(null).cause(reason).actor(actor)
          .updatedAt(clock.instant()).version(current.version() + 1).build();
      if (transitions.transitionTo(current, closed, false)) {
        return closed;
      }
    }
    throw new IllegalStateException("the teardown entry of grant " + GrantReference.of(grantId)
        + " at downstream " + downstream + " changed under 1000 attempts to close it");
  }

  @Override
  public int runDue() {
    if (worker.isClosed()) {
      return 0;
    }
    Instant now = clock.instant();
    int claimed = 0;
    for (Lane lane : lanes.values()) {
      int room = claimBatch - lane.queued.get();
      if (room <= 0) {
        continue; // its executor is busy: what is due waits for the next poll
      }
      List<TeardownEntry> got;
      try {
        got = ledger.claimDue(lane.name, now, instanceId, now.plus(lease), room);
      } catch (RuntimeException e) {
        LOG.error("teardown ledger failed to claim due entries of downstream {}", lane.name, e);
        continue;
      }
      for (TeardownEntry e : got) {
        worker.dispatch(lane, e);
      }
      claimed += got.size();
    }
    return claimed;
  }

  private void armPoll() {
    if (worker.isClosed()) {
      return;
    }
    try {
      poll = scheduler.schedule(this::pollNow, pollInterval);
    } catch (RuntimeException e) {
      LOG.error("the scheduler refused the teardown poll; due entries are claimed only by "
          + "runDue()", e);
    }
  }

  private void pollNow() {
    try {
      int claimed = runDue();
      if (claimed > 0) {
        LOG.info("teardown claimed {} due entries", claimed);
      }
      ledger.deleteSettled(clock.instant().minus(settledRetention), DELETE_BATCH);
    } catch (RuntimeException e) {
      LOG.error("teardown poll failed", e);
    } finally {
      armPoll();
    }
  }

  @Override
  public void close() {
    worker.close();
    for (Scheduler.Cancellable timer : new Scheduler.Cancellable[] {poll, reconcileTimer}) {
      if (timer != null) {
        timer.cancel();
      }
    }
    for (Lane lane : lanes.values()) {
      lane.close();
    }
    if (ownScheduler != null) {
      ownScheduler.shutdownNow();
    }
  }

  @Override
  public String toString() {
    return "Teardown[" + instanceId + ", downstreams=" + lanes.keySet() + ", ledger=" + ledger
        + "]";
  }
}
