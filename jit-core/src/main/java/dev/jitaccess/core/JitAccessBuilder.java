package dev.jitaccess.core;

import dev.jitaccess.RevocationListener;
import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link JitAccess}. Each setter may be called once; {@link #build()} validates and
 * may be called again. Not thread-safe.
 *
 * <p>Defaults: the system UTC clock; a daemon scheduler thread of its own; the backend found by
 * {@link java.util.ServiceLoader} for the store, policy and audit sink (two found is an error),
 * else an {@link InMemoryGrantStore}, {@link AccessPolicy#approveWithinLimits()} and an {@link
 * Slf4jAuditSink}; max lifetime {@value #DEFAULT_MAX_LIFETIME_MINUTES} minutes; max hard cap
 * {@value #DEFAULT_MAX_HARD_CAP_HOURS} hours; max delegation depth {@value
 * #DEFAULT_MAX_DELEGATION_DEPTH}; allowed checks not audited; descendants of an ended grant
 * ended and reported before the call that ended it returns; ended tasks refuse new grants for
 * {@link #DEFAULT_ENDED_TASK_RETENTION}; no anomaly detectors.
 */
public final class JitAccessBuilder {
  /** Default longest lifetime a request or renewal may ask for. */
  public static final long DEFAULT_MAX_LIFETIME_MINUTES = 60;
  /** Default longest a grant may live from issue, however often renewed. */
  public static final long DEFAULT_MAX_HARD_CAP_HOURS = 8;
  /** Default longest chain of delegations below a top-level grant. */
  public static final int DEFAULT_MAX_DELEGATION_DEPTH = 4;
  /** The largest {@link #maxDelegationDepth} a runtime accepts. */
  public static final int MAX_DELEGATION_DEPTH = 64;
  /** How long an ended task refuses new grants by default. */
  public static final Duration DEFAULT_ENDED_TASK_RETENTION = Duration.ofHours(24);
  /** The most ended tasks (and revoked subjects and owners) remembered at once, each. */
  public static final int MAX_ENDED_TASKS = 100_000;

  @Nullable Clock clock;
  @Nullable Scheduler scheduler;
  @Nullable GrantStore store;
  @Nullable AccessPolicy policy;
  @Nullable AuditSink auditSink;
  final List<RevocationListener> listeners = new ArrayList<>();
  @Nullable Duration maxLifetime;
  @Nullable Duration maxHardCap;
  int maxDelegationDepth = -1;
  @Nullable AllowedCheckAudit allowedCheckAudit;
  @Nullable Executor cascadeExecutor;
  @Nullable Duration endedTaskRetention;
  final List<AnomalyDetector> anomalyDetectors = new ArrayList<>();
  final List<String> anomalyDetectorNames = new ArrayList<>();
  final List<AnomalyListener> anomalyListeners = new ArrayList<>();

  JitAccessBuilder() {}

  /**
   * Adds a detector of misuse; may be called repeatedly. See {@link AnomalyDetector} for what
   * the runtime does with what it finds, and {@link AnomalyDetectors} for the built-in ones.
   * Its {@link AnomalyDetector#name() name} is read once, here.
   *
   * @throws IllegalArgumentException if its name breaks the rule or another detector has it
   */
  public JitAccessBuilder anomalyDetector(AnomalyDetector detector) {
    Objects.requireNonNull(detector, "anomalyDetector must not be null");
    String name = Anomalies.checkName(detector.name());
    if (anomalyDetectorNames.contains(name)) {
      throw new IllegalArgumentException(
          "anomalyDetector.name() must be unique, was '" + name + "' twice");
    }
    anomalyDetectors.add(detector);
    anomalyDetectorNames.add(name);
    return this;
  }

  /**
   * Adds a listener told of every anomaly found, on the checking thread (after the audit and the
   * revocation); may be called repeatedly. Use it to tell the grant's owner.
   */
  public JitAccessBuilder anomalyListener(AnomalyListener listener) {
    anomalyListeners.add(Objects.requireNonNull(listener, "anomalyListener must not be null"));
    return this;
  }

  /**
   * Adds a listener told of every anomaly found, on {@code executor}, never on the checking
   * thread; a call the executor refuses is logged at ERROR and not retried.
   */
  public JitAccessBuilder anomalyListener(AnomalyListener listener, Executor executor) {
    Objects.requireNonNull(listener, "anomalyListener must not be null");
    Objects.requireNonNull(executor, "executor must not be null");
    anomalyListeners.add(new ExecutorAnomalyListener(listener, executor));
    return this;
  }

  /**
   * How long an ended task keeps refusing new grants (default {@link
   * #DEFAULT_ENDED_TASK_RETENTION}). At most {@value #MAX_ENDED_TASKS} ended tasks are
   * remembered; past that the oldest are forgotten first, with a warning.
   *
   * @throws IllegalArgumentException if not {@code > 0}
   */
  public JitAccessBuilder endedTaskRetention(Duration retention) {
    requireUnset(this.endedTaskRetention, "endedTaskRetention");
    this.endedTaskRetention = Validation.positive(retention, "endedTaskRetention");
    return this;
  }

  /** The clock every time decision reads. */
  public JitAccessBuilder clock(Clock clock) {
    requireUnset(this.clock, "clock");
    this.clock = Objects.requireNonNull(clock, "clock must not be null");
    return this;
  }

  /** Runs expiry work; a {@code FakeClock} from the testkit is one. */
  public JitAccessBuilder scheduler(Scheduler scheduler) {
    requireUnset(this.scheduler, "scheduler");
    this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
    return this;
  }

  /** Where grants are kept. */
  public JitAccessBuilder store(GrantStore store) {
    requireUnset(this.store, "store");
    this.store = Objects.requireNonNull(store, "store must not be null");
    return this;
  }

  /** Decides requests, delegations and renewals. */
  public JitAccessBuilder policy(AccessPolicy policy) {
    requireUnset(this.policy, "policy");
    this.policy = Objects.requireNonNull(policy, "policy must not be null");
    return this;
  }

  /** Receives the audit trail. */
  public JitAccessBuilder auditSink(AuditSink auditSink) {
    requireUnset(this.auditSink, "auditSink");
    this.auditSink = Objects.requireNonNull(auditSink, "auditSink must not be null");
    return this;
  }

  /**
   * Adds a listener told of every grant that leaves ACTIVE, on the thread that ended it (the
   * caller of {@code revoke()}, or the expiry thread); may be called repeatedly. A slow listener
   * slows those: give it an executor of its own with {@link #listener(RevocationListener,
   * Executor)}.
   */
  public JitAccessBuilder listener(RevocationListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener must not be null"));
    return this;
  }

  /**
   * Adds a listener told of every grant that leaves ACTIVE, on {@code executor}: never on the
   * thread that ended the grant, so neither {@code revoke()} nor the expiry of other grants waits
   * for it, and never behind another listener's executor. A single-thread executor keeps the
   * listener's calls in the order the grants ended. A call the executor rejects is logged at
   * ERROR with the grant's reference and not retried.
   */
  public JitAccessBuilder listener(RevocationListener listener, Executor executor) {
    Objects.requireNonNull(listener, "listener must not be null");
    Objects.requireNonNull(executor, "executor must not be null");
    listeners.add(new ExecutorListener(listener, executor));
    return this;
  }

  /**
   * The longest lifetime a request, delegation or renewal may ask for.
   *
   * @throws IllegalArgumentException if not {@code > 0}
   */
  public JitAccessBuilder maxLifetime(Duration maxLifetime) {
    requireUnset(this.maxLifetime, "maxLifetime");
    this.maxLifetime = Validation.positive(maxLifetime, "maxLifetime");
    return this;
  }

  /**
   * The longest a grant may live from issue, however often renewed; also the cap of a request
   * whose ttl has none.
   *
   * @throws IllegalArgumentException if not {@code > 0}
   */
  public JitAccessBuilder maxHardCap(Duration maxHardCap) {
    requireUnset(this.maxHardCap, "maxHardCap");
    this.maxHardCap = Validation.positive(maxHardCap, "maxHardCap");
    return this;
  }

  /**
   * The longest chain of delegations below a top-level grant; 0 forbids delegation.
   *
   * @throws IllegalArgumentException if negative or above {@value #MAX_DELEGATION_DEPTH}
   */
  public JitAccessBuilder maxDelegationDepth(int depth) {
    if (maxDelegationDepth >= 0) {
      throw new IllegalStateException("maxDelegationDepth was already set");
    }
    if (depth < 0 || depth > MAX_DELEGATION_DEPTH) {
      throw new IllegalArgumentException("maxDelegationDepth must be in [0, "
          + MAX_DELEGATION_DEPTH + "], was " + depth);
    }
    this.maxDelegationDepth = depth;
    return this;
  }

  /** What to record about allowed checks. */
  public JitAccessBuilder allowedChecks(AllowedCheckAudit mode) {
    requireUnset(this.allowedCheckAudit, "allowedChecks");
    this.allowedCheckAudit = Objects.requireNonNull(mode, "allowedChecks must not be null");
    return this;
  }

  /**
   * Where the descendants of an ended grant are recorded, audited and reported; default none: on
   * the thread that ended the grant, before {@code revoke()} (or the expiry, or the last use)
   * returns.
   *
   * <p>With an executor, ending a grant with many delegations returns as soon as the grant
   * itself is recorded, audited and reported: from that moment every check on every descendant
   * denies, because checks walk the ancestor chain. The descendants' own terminal snapshots,
   * audit events and listener calls follow on the executor, parents first; until then {@link
   * JitAccess#grant} may still show a descendant ACTIVE. A cascade the executor rejects runs on
   * the calling thread instead; one that fails is retried on the scheduler after a second, so
   * no descendant is left unreported.
   */
  public JitAccessBuilder cascadeExecutor(Executor executor) {
    requireUnset(this.cascadeExecutor, "cascadeExecutor");
    this.cascadeExecutor = Objects.requireNonNull(executor, "cascadeExecutor must not be null");
    return this;
  }

  /**
   * The runtime.
   *
   * @throws IllegalArgumentException if maxHardCap is below maxLifetime
   * @throws IllegalStateException if {@link java.util.ServiceLoader} finds two implementations
   *     of one backend
   */
  public JitAccess build() {
    return DefaultJitAccess.create(this);
  }

  private static void requireUnset(@Nullable Object current, String name) {
    if (current != null) {
      throw new IllegalStateException(name + " was already set");
    }
  }
}
