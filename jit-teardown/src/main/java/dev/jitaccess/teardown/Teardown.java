package dev.jitaccess.teardown;

import dev.jitaccess.RevocationListener;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.governance.spi.LingeringSource;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.teardown.spi.EndedGrants;
import dev.jitaccess.teardown.spi.TeardownAlerts;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Verified teardown: when a grant ends, every registered {@link Downstream} removes its access
 * and, where it can, proves it is gone. Each (grant, downstream) pair is an entry of a durable
 * {@link TeardownLedger}, worked like a finalizer: PENDING, then REVOKED (acknowledged), then
 * VERIFIED (the downstream's probe says denied); retried on a {@link RetryLadder} until it is
 * IRREVOCABLE, which alerts the owner and is retried once a day.
 *
 * <pre>{@code
 * Teardown teardown = Teardown.builder().clock(clock).scheduler(scheduler).grants(store)
 *     .downstream(databaseRoles).downstream(cloudIam, DownstreamOptions.builder()
 *         .timeout(Duration.ofSeconds(10)).build())
 *     .build();
 * JitAccess jit = JitAccess.builder().clock(clock).scheduler(scheduler).store(store)
 *     .listener(teardown.listener()).build();
 * }</pre>
 *
 * <p>{@link #listener()} only writes ledger entries and hands them to the downstreams' executors,
 * so no downstream is ever called on the thread that ended the grant. Each downstream has an
 * executor of its own, so a slow one delays no other, and every call is cut by that downstream's
 * timeout. The ledger is shared by every replica: entries are leased to the replica that works
 * them, and one that stops is replaced by another once its leases pass ({@link #runDue()}, also
 * run by a timer). A downstream may declare the {@linkplain Downstream#entitlement entitlement} a
 * grant gives it: an ending grant whose entitlement another live grant of the same subject still
 * needs is RETAINED, and the last of them to end removes it.
 *
 * <p>Fails closed: a downstream that throws, hangs, answers null or acknowledges another grant is
 * retried; a grant store that cannot say whether an entitlement is still needed lets it be
 * removed. Events name a grant by its reference, never its id. Thread-safe.
 */
public interface Teardown extends AutoCloseable {
  /** A builder with the defaults described on {@link Builder}. */
  static Builder builder() {
    return new Builder();
  }

  /**
   * The listener to register with {@code JitAccessBuilder.listener(...)}: for every grant that
   * ends it inserts one PENDING entry per downstream into the ledger and hands it to that
   * downstream's executor; it never calls a downstream itself. An entry another replica inserted
   * first is left to that replica; an insert the ledger fails is tried again on the scheduler
   * (after 1 s, doubling up to a minute) until it is stored. If the ledger is remote (a database),
   * register it on an executor of its own ({@code listener(teardown.listener(), executor)}) to
   * keep the insert off the revoking thread.
   */
  RevocationListener listener();

  /** The entries of grant {@code grantId}, one per downstream that has one, by downstream name. */
  List<TeardownEntry> entries(String grantId);

  /**
   * Up to 1,000 entries still not settled (PENDING, IRREVOCABLE, or REVOKED awaiting a probe)
   * whose grant ended more than {@code olderThan} ago: the access that lingers. Each names the
   * grant's owner.
   */
  default List<TeardownEntry> lingering(Duration olderThan) {
    return lingering(olderThan, 1000);
  }

  /**
   * Up to {@code limit} lingering entries, the oldest first, as {@link #lingering(Duration)}.
   *
   * @throws IllegalArgumentException if {@code olderThan} is negative or {@code limit} not {@code
   *     > 0}
   */
  List<TeardownEntry> lingering(Duration olderThan, int limit);

  /**
   * The lingering entries, for governance's exposure reports ({@code
   * GovernanceBuilder.lingeringSource(teardown.lingeringSource(deadline))}): every entry of an
   * ended grant whose access is not yet confirmed gone (PENDING, IRREVOCABLE, or REVOKED awaiting
   * a probe; not RETAINED) and whose grant ended more than {@code deadline} before the report's
   * time, with the grant's reference, subject, owner, task and tier, the downstream, the state,
   * when the grant ended, the attempts made and the last cause. Reads the ledger on each report.
   *
   * @throws IllegalArgumentException if {@code deadline} is negative
   */
  LingeringSource lingeringSource(Duration deadline);

  /**
   * One reconciliation sweep now: every grant {@code source} lists as ended at or after {@code
   * since} that lacks an entry at some downstream is handled as if the listener had heard it end
   * (an entry inserted per downstream, first insert wins, and worked). For grants whose end no
   * listener heard: none was registered then, or the process died between the end and the insert.
   * {@link Builder#reconcile} runs it on a timer.
   *
   * @return how many ended grants lacked an entry
   * @throws RuntimeException what the source or the ledger throws
   */
  int reconcile(EndedGrants source, Instant since);

  /**
   * Closes the entry of grant {@code grantId} at {@code downstream} by force: it becomes CLOSED,
   * with {@code reason} and {@code actor}, audited as TEARDOWN_CLOSED, and no attempt follows (an
   * attempt already running is not recorded). For the access a person has removed by hand, or
   * accepts to leave.
   *
   * @return the entry as closed
   * @throws IllegalArgumentException if reason or actor is blank, or there is no such entry
   * @throws TeardownStateException if the entry is VERIFIED or already CLOSED
   */
  TeardownEntry forceClose(String grantId, String downstream, String reason, String actor);

  /**
   * Claims the entries that are due now and unleased (or whose lease has passed: their replica
   * stopped) and hands them to their downstreams' executors. Timers call it every {@linkplain
   * Builder#pollInterval poll interval}; call it to catch up at once.
   *
   * @return how many entries were claimed
   */
  int runDue();

  /**
   * Stops the timers and the threads this teardown started; calls in flight are interrupted. The
   * entries it held stay in the ledger, leased until their leases pass, when another replica (or
   * this application's next start) claims them. A listener called after this writes unleased
   * entries, which any replica may claim at once.
   */
  @Override
  void close();

  /**
   * Builds a {@link Teardown}. Defaults: the system UTC clock and a scheduler thread of its own, an
   * {@link InMemoryTeardownLedger}, no grant store (declared entitlements are then not checked:
   * every ending grant's access is removed), {@link LoggingTeardownAlerts}, an {@code
   * Slf4jAuditSink}, {@link RetryLadder#ofDefaults()}, IRREVOCABLE entries retried every 24 h,
   * leases of 5 minutes, a poll every 30 s claiming up to 256 entries per downstream, settled
   * entries deleted 7 days after their last change, RETAINED entries re-checked every 10
   * minutes, no reconciliation sweep, a random instance id. At least one downstream
   * is required. Each setter may be called once; {@link #build()} leaves the builder reusable. Not
   * thread-safe.
   */
  final class Builder {
    /** The long interval on which IRREVOCABLE entries are retried by default. */
    public static final Duration DEFAULT_IRREVOCABLE_RETRY = Duration.ofHours(24);
    /** The lease by default. */
    public static final Duration DEFAULT_LEASE = Duration.ofMinutes(5);
    /** The poll interval by default. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    /** The retention of settled entries by default. */
    public static final Duration DEFAULT_SETTLED_RETENTION = Duration.ofDays(7);
    /** Entries claimed per downstream per poll by default. */
    public static final int DEFAULT_CLAIM_BATCH = 256;
    /** How often a RETAINED entry is re-checked by default. */
    public static final Duration DEFAULT_RETAINED_RECHECK = Duration.ofMinutes(10);

    @Nullable Clock clock;
    @Nullable Scheduler scheduler;
    @Nullable TeardownLedger ledger;
    @Nullable GrantStore grants;
    @Nullable TeardownAlerts alerts;
    @Nullable AuditSink auditSink;
    @Nullable RetryLadder ladder;
    @Nullable Duration irrevocableRetry;
    @Nullable Duration lease;
    @Nullable Duration pollInterval;
    @Nullable Duration settledRetention;
    @Nullable String instanceId;
    int claimBatch;
    @Nullable Duration retainedRecheck;
    @Nullable EndedGrants endedGrants;
    @Nullable Duration reconcileEvery;
    @Nullable Duration reconcileLookBack;
    final Map<String, Downstream> downstreams = new LinkedHashMap<>();
    final Map<String, DownstreamOptions> options = new LinkedHashMap<>();

    Builder() {}

    /** The clock entries are timed by. */
    public Builder clock(Clock clock) {
      this.clock = once(this.clock, clock, "clock");
      return this;
    }

    /** Runs the retry timers and the poll, by the clock; a fake clock's advance runs them. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = once(this.scheduler, scheduler, "scheduler");
      return this;
    }

    /** Where entries are kept; every replica of the application shares one. */
    public Builder ledger(TeardownLedger ledger) {
      this.ledger = once(this.ledger, ledger, "ledger");
      return this;
    }

    /**
     * The grant store the runtime uses: read when a grant ends, to find the other live grants of
     * its subject that still need an entitlement a downstream declares.
     */
    public Builder grants(GrantStore grants) {
      this.grants = once(this.grants, grants, "grants");
      return this;
    }

    /** Told of every IRREVOCABLE entry, to alert the grant's owner. */
    public Builder alerts(TeardownAlerts alerts) {
      this.alerts = once(this.alerts, alerts, "alerts");
      return this;
    }

    /** Receives TEARDOWN_REVOKED, _VERIFIED, _IRREVOCABLE, _RETAINED and _CLOSED events. */
    public Builder auditSink(AuditSink auditSink) {
      this.auditSink = once(this.auditSink, auditSink, "auditSink");
      return this;
    }

    /** A downstream with {@link DownstreamOptions#ofDefaults()}; may be called repeatedly. */
    public Builder downstream(Downstream downstream) {
      return downstream(downstream, DownstreamOptions.ofDefaults());
    }

    /**
     * A downstream with its options; may be called repeatedly, once per downstream name.
     *
     * @throws IllegalArgumentException if its name is malformed or already taken
     */
    public Builder downstream(Downstream downstream, DownstreamOptions options) {
      Objects.requireNonNull(downstream, "downstream must not be null");
      Objects.requireNonNull(options, "options must not be null");
      String name = Texts.downstream(downstream.name(), "downstream.name");
      if (downstreams.containsKey(name)) {
        throw new IllegalArgumentException("downstream.name must be unique, '" + name
            + "' was already registered");
      }
      downstreams.put(name, downstream);
      this.options.put(name, options);
      return this;
    }

    /** The retry ladder of every downstream that has none of its own. */
    public Builder ladder(RetryLadder ladder) {
      this.ladder = once(this.ladder, ladder, "ladder");
      return this;
    }

    /** How often an IRREVOCABLE entry is retried (and its owner alerted again), {@code > 0}. */
    public Builder irrevocableRetry(Duration interval) {
      this.irrevocableRetry = positive(this.irrevocableRetry, interval, "irrevocableRetry");
      return this;
    }

    /**
     * How long a claim holds an entry against other replicas, {@code > 0}: longer than two calls'
     * timeout (revoke and verify) of every downstream, so that a live replica never loses an
     * entry it works. A replica that stops holds its entries this long past their due time.
     */
    public Builder lease(Duration lease) {
      this.lease = positive(this.lease, lease, "lease");
      return this;
    }

    /** How often due entries are claimed from the ledger, {@code > 0}. */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive(this.pollInterval, interval, "pollInterval");
      return this;
    }

    /** How long a settled entry is kept after its last change, {@code > 0}. */
    public Builder settledRetention(Duration retention) {
      this.settledRetention = positive(this.settledRetention, retention, "settledRetention");
      return this;
    }

    /** The most entries one poll claims per downstream, from 1 to 100,000. */
    public Builder claimBatch(int batch) {
      if (claimBatch != 0) {
        throw new IllegalStateException("claimBatch was already set");
      }
      if (batch < 1 || batch > 100_000) {
        throw new IllegalArgumentException("claimBatch must be in [1, 100000], was " + batch);
      }
      this.claimBatch = batch;
      return this;
    }

    /**
     * How often a RETAINED entry checks again whether a live grant still needs its entitlement,
     * {@code > 0} (it is also checked at once when this teardown hears of the end of another
     * grant of its subject with the same entitlement): the longest a RETAINED entry waits when its
     * keeper ended unheard, or its keeper's own teardown is delayed.
     */
    public Builder retainedRecheck(Duration interval) {
      this.retainedRecheck = positive(this.retainedRecheck, interval, "retainedRecheck");
      return this;
    }

    /**
     * Runs a reconciliation sweep ({@link Teardown#reconcile}) over {@code source} every {@code
     * every}, the first at once, each over the grants that ended in the last {@code lookBack}: a
     * grant whose end no listener heard gets its entries within {@code every} of its end being
     * visible in the store, if it ended at most {@code lookBack} ago and the store still holds it.
     *
     * @throws IllegalArgumentException if either is not {@code > 0}, or {@code lookBack} is
     *     shorter than {@code every}
     */
    public Builder reconcile(EndedGrants source, Duration every, Duration lookBack) {
      this.endedGrants = once(this.endedGrants, source, "reconcile.source");
      Duration e = positive(null, every, "reconcile.every");
      Duration l = positive(null, lookBack, "reconcile.lookBack");
      if (l.compareTo(e) < 0) {
        throw new IllegalArgumentException("reconcile.lookBack must be >= reconcile.every ("
            + e + "), was " + l);
      }
      this.reconcileEvery = e;
      this.reconcileLookBack = l;
      return this;
    }

    /** This replica's name in leases: unique among the replicas sharing the ledger. */
    public Builder instanceId(String instanceId) {
      this.instanceId = Texts.text(once(this.instanceId, instanceId, "instanceId"), "instanceId");
      return this;
    }

    /**
     * The teardown; its timers start now.
     *
     * @throws IllegalStateException if no downstream was registered
     * @throws IllegalArgumentException if the lease is not longer than twice a downstream's timeout
     */
    public Teardown build() {
      if (downstreams.isEmpty()) {
        throw new IllegalStateException("at least one downstream must be registered");
      }
      Duration retention = settledRetention == null ? DEFAULT_SETTLED_RETENTION
          : settledRetention;
      if (reconcileLookBack != null && reconcileLookBack.compareTo(retention) >= 0) {
        throw new IllegalArgumentException("reconcile.lookBack must be < settledRetention ("
            + retention + "), or settled entries deleted would be torn down again, was "
            + reconcileLookBack);
      }
      Duration l = lease == null ? DEFAULT_LEASE : lease;
      for (Map.Entry<String, DownstreamOptions> e : options.entrySet()) {
        Duration twice = e.getValue().timeout().multipliedBy(2);
        if (l.compareTo(twice) <= 0) {
          throw new IllegalArgumentException("lease must be > twice the timeout of downstream "
              + e.getKey() + " (" + twice + "), was " + l);
        }
      }
      return DefaultTeardown.create(this);
    }

    List<String> names() {
      return new ArrayList<>(downstreams.keySet());
    }

    private static <T> T once(@Nullable Object current, T value, String field) {
      if (current != null) {
        throw new IllegalStateException(field + " was already set");
      }
      return Objects.requireNonNull(value, () -> field + " must not be null");
    }

    private static Duration positive(@Nullable Duration current, Duration value, String field) {
      Duration d = once(current, value, field);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be > 0, was " + d);
      }
      return d;
    }
  }
}
