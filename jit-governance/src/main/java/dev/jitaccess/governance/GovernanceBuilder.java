package dev.jitaccess.governance;

import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.core.Slf4jAuditSink;
import dev.jitaccess.governance.spi.BundleStore;
import dev.jitaccess.governance.spi.Directory;
import dev.jitaccess.governance.spi.GovernanceStore;
import dev.jitaccess.governance.spi.LingeringSource;
import dev.jitaccess.governance.spi.Notifier;
import dev.jitaccess.governance.spi.OwnerDirectory;
import dev.jitaccess.governance.spi.RecertificationStore;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link Governance} and the runtime it wraps. Required: {@link #runtime} (a {@link
 * JitAccess} builder with nothing set that this builder sets), {@link #grants}, {@link #clock}
 * and {@link #scheduler}. Defaults: an {@link InMemoryGovernanceStore}, an {@link
 * InMemoryBundleStore}, an empty {@link
 * InMemoryDirectory}, a {@link LoggingNotifier}, {@link RiskTiers#ofDefaults()}, no eligibility
 * rules (nothing can be requested), an {@link Slf4jAuditSink}, request TTL 1 h, activation
 * window 1 h, review deadline 24 h, a start at most 7 days ahead, no further policy, and a task
 * alive until the runtime says it ended. The governance sets the runtime's clock, scheduler,
 * audit sink and policy. Each setter may be called once.
 */
public final class GovernanceBuilder {
  @Nullable JitAccessBuilder runtime;
  @Nullable GrantStore grants;
  @Nullable OwnerDirectory owners;
  @Nullable String fallbackOwner;
  OnOrphan onOrphan = OnOrphan.NOTIFY;
  Duration orphanSweepEvery = Duration.ofHours(1);
  @Nullable RecertificationStore recertifications;
  int renewalsBeforeRecertification = 3;
  Duration recertificationNotice = Duration.ofDays(2);
  private boolean orphanSet;
  private boolean sweepSet;
  private boolean renewalsSet;
  private boolean noticeSet;
  @Nullable Clock clock;
  @Nullable Scheduler scheduler;
  @Nullable AuditSink auditSink;
  @Nullable GovernanceStore store;
  @Nullable BundleStore bundleStore;
  @Nullable Directory directory;
  @Nullable Notifier notifier;
  @Nullable RiskTiers tiers;
  @Nullable EligibilityRules rules;
  @Nullable AccessPolicy policy;
  @Nullable Predicate<String> taskAlive;
  Duration requestTtl = Duration.ofHours(1);
  Duration activationWindow = Duration.ofHours(1);
  Duration reviewDeadline = Duration.ofHours(24);
  Duration maxStartDelay = Duration.ofDays(7);
  private boolean ttlSet;
  private boolean windowSet;
  private boolean deadlineSet;
  private boolean delaySet;

  // Expiry warnings and exposure reports.
  @Nullable Duration expiryWarningLead;
  @Nullable Duration expirySweepInterval;
  final List<ExpiryWarningListener> expiryWarningListeners = new ArrayList<>();
  @Nullable ExposureThresholds exposureThresholds;
  boolean trackLastUse;
  @Nullable LingeringSource lingeringSource;

  GovernanceBuilder() {}

  private static <T> T once(@Nullable Object current, T value, String field) {
    if (current != null) {
      throw new IllegalStateException(field + " was already set");
    }
    return Objects.requireNonNull(value, () -> field + " must not be null");
  }

  private static Duration positive(boolean set, Duration d, String field) {
    if (set) {
      throw new IllegalStateException(field + " was already set");
    }
    Objects.requireNonNull(d, () -> field + " must not be null");
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(field + " must be > 0, was " + d);
    }
    return d;
  }

  /** The runtime to wrap: listeners and options, not its store, clock, scheduler, audit or policy. */
  public GovernanceBuilder runtime(JitAccessBuilder runtime) {
    this.runtime = once(this.runtime, runtime, "runtime");
    return this;
  }

  /** Where grants are kept: the runtime's store too (do not set it on the runtime builder). */
  public GovernanceBuilder grants(GrantStore grants) {
    this.grants = once(this.grants, grants, "grants");
    return this;
  }

  /** Whether owners are still active (default: everyone is). */
  public GovernanceBuilder ownerDirectory(OwnerDirectory owners) {
    this.owners = once(this.owners, owners, "ownerDirectory");
    return this;
  }

  /**
   * What the orphan sweep does with a live grant or bundle whose owner is gone (default {@link
   * OnOrphan#NOTIFY}), with the fallback owner to reassign it to or to tell, if any.
   */
  public GovernanceBuilder onOrphan(OnOrphan action, @Nullable String fallbackOwner) {
    if (orphanSet) {
      throw new IllegalStateException("onOrphan was already set");
    }
    this.onOrphan = Objects.requireNonNull(action, "onOrphan must not be null");
    if (action == OnOrphan.REASSIGN && fallbackOwner == null) {
      throw new IllegalArgumentException("fallbackOwner must be set to REASSIGN");
    }
    this.fallbackOwner = fallbackOwner == null ? null : Names.check(fallbackOwner, "fallbackOwner");
    orphanSet = true;
    return this;
  }

  /** How often the orphan and recertification sweeps run (default 1 h). */
  public GovernanceBuilder sweepEvery(Duration every) {
    this.orphanSweepEvery = positive(sweepSet, every, "sweepEvery");
    sweepSet = true;
    return this;
  }

  /** Where recertification decisions are kept (default in memory). */
  public GovernanceBuilder recertificationStore(RecertificationStore store) {
    this.recertifications = once(this.recertifications, store, "recertificationStore");
    return this;
  }

  /** After how many renewals a grant needs recertification (default 3). */
  public GovernanceBuilder renewalsBeforeRecertification(int renewals) {
    if (renewalsSet) {
      throw new IllegalStateException("renewalsBeforeRecertification was already set");
    }
    if (renewals < 0) {
      throw new IllegalArgumentException(
          "renewalsBeforeRecertification must be >= 0, was " + renewals);
    }
    this.renewalsBeforeRecertification = renewals;
    renewalsSet = true;
    return this;
  }

  /** How long before a recertification is due its owner is told (default 2 days). */
  public GovernanceBuilder recertificationNotice(Duration notice) {
    this.recertificationNotice = positive(noticeSet, notice, "recertificationNotice");
    noticeSet = true;
    return this;
  }

  /** The clock every deadline is read on; the runtime's too. */
  public GovernanceBuilder clock(Clock clock) {
    this.clock = once(this.clock, clock, "clock");
    return this;
  }

  /** Runs deadline timers; the runtime's too. */
  public GovernanceBuilder scheduler(Scheduler scheduler) {
    this.scheduler = once(this.scheduler, scheduler, "scheduler");
    return this;
  }

  /** Receives governance events and the runtime's. */
  public GovernanceBuilder auditSink(AuditSink auditSink) {
    this.auditSink = once(this.auditSink, auditSink, "auditSink");
    return this;
  }

  /** Where requests and locks are kept. */
  public GovernanceBuilder store(GovernanceStore store) {
    this.store = once(this.store, store, "store");
    return this;
  }

  /** Where bundles, their members and their grants are kept. */
  public GovernanceBuilder bundleStore(BundleStore store) {
    this.bundleStore = once(this.bundleStore, store, "bundleStore");
    return this;
  }

  /** Who belongs to which groups and teams. */
  public GovernanceBuilder directory(Directory directory) {
    this.directory = once(this.directory, directory, "directory");
    return this;
  }

  /** Who is told of break-glass and missed reviews. */
  public GovernanceBuilder notifier(Notifier notifier) {
    this.notifier = once(this.notifier, notifier, "notifier");
    return this;
  }

  /** The risk tiers. */
  public GovernanceBuilder tiers(RiskTiers tiers) {
    this.tiers = once(this.tiers, tiers, "tiers");
    return this;
  }

  /** The eligibility rules (kept, not copied: changes to them apply at once). */
  public GovernanceBuilder rules(EligibilityRules rules) {
    this.rules = once(this.rules, rules, "rules");
    return this;
  }

  /**
   * A further policy (for example CEL) asked after governance approves a request or renewal:
   * both must approve.
   */
  public GovernanceBuilder policy(AccessPolicy policy) {
    this.policy = once(this.policy, policy, "policy");
    return this;
  }

  /**
   * Whether a task is alive, for tiers that renew only while it is: for example a lookup of the
   * job's heartbeat. Default: alive until the runtime says the task ended.
   */
  public GovernanceBuilder taskAlive(Predicate<String> taskAlive) {
    this.taskAlive = once(this.taskAlive, taskAlive, "taskAlive");
    return this;
  }

  /** How long a request waits for approval before it expires. */
  public GovernanceBuilder requestTtl(Duration ttl) {
    this.requestTtl = positive(ttlSet, ttl, "requestTtl");
    ttlSet = true;
    return this;
  }

  /** How long an approved request may wait to be activated, from approval or its start. */
  public GovernanceBuilder activationWindow(Duration window) {
    this.activationWindow = positive(windowSet, window, "activationWindow");
    windowSet = true;
    return this;
  }

  /** How long after break-glass its review is due. */
  public GovernanceBuilder reviewDeadline(Duration deadline) {
    this.reviewDeadline = positive(deadlineSet, deadline, "reviewDeadline");
    deadlineSet = true;
    return this;
  }

  /** How far ahead a request may ask to start. */
  public GovernanceBuilder maxStartDelay(Duration delay) {
    this.maxStartDelay = positive(delaySet, delay, "maxStartDelay");
    delaySet = true;
    return this;
  }

  // Expiry warnings and exposure reports.

  /**
   * Warns of every live grant {@code lead} before it expires, with a sweep at most a minute
   * apart; see {@link #expiryWarnings(Duration, Duration)}.
   */
  public GovernanceBuilder expiryWarnings(Duration lead) {
    return expiryWarnings(lead, Duration.ofMinutes(1));
  }

  /**
   * Warns of every live grant {@code lead} before it expires, once per grant and expiry in this
   * process: an {@code EXPIRING_SOON} audit event, each {@linkplain #expiryWarningListener
   * listener}, and a {@code Notification.Kind.EXPIRING_SOON} to the grant's owner (not for a
   * delegated grant: its top-level grant expires no earlier). A renewal moves the expiry and is
   * warned again.
   *
   * <p>A sweep on the scheduler pages the grant store's ACTIVE grants by expiry and warns those
   * whose expiry is within {@code lead}; the next sweep is armed for the earliest next warning,
   * or {@code maxInterval} later, whichever comes first. Grants minted or renewed by this replica
   * arm it at their exact warning time; a grant minted or renewed on another replica is seen by
   * the next sweep, up to {@code maxInterval} late.
   *
   * <p>Replicas: each replica warns of every grant in the shared store once; nothing is shared
   * to deduplicate them. For one warning per grant, turn warnings on in one replica only.
   *
   * @throws IllegalArgumentException if either is not {@code > 0}
   */
  public GovernanceBuilder expiryWarnings(Duration lead, Duration maxInterval) {
    if (expiryWarningLead != null) {
      throw new IllegalStateException("expiryWarnings was already set");
    }
    Duration interval = positive(false, maxInterval, "maxInterval");
    this.expiryWarningLead = positive(false, lead, "lead");
    this.expirySweepInterval = interval;
    return this;
  }

  /** Adds a listener told of each expiry warning; may be called repeatedly. */
  public GovernanceBuilder expiryWarningListener(ExpiryWarningListener listener) {
    expiryWarningListeners.add(Objects.requireNonNull(listener,
        "expiryWarningListener must not be null"));
    return this;
  }

  /**
   * When exposure reports flag standing-access smells. Default: {@link
   * ExposureThresholds#ofDefaults()}.
   */
  public GovernanceBuilder exposureThresholds(ExposureThresholds thresholds) {
    this.exposureThresholds = once(this.exposureThresholds, thresholds, "exposureThresholds");
    return this;
  }

  /**
   * Remembers when each live grant last allowed a check, for exposure reports: sets the runtime's
   * {@code allowedChecks(AllowedCheckAudit.EACH)} (so do not set it there too; every allowed
   * check is then audited) and records the time of each {@code ALLOWED} event per grant
   * reference. In memory and per replica: a use on another replica is not seen here.
   */
  public GovernanceBuilder trackLastUse() {
    if (trackLastUse) {
      throw new IllegalStateException("trackLastUse was already set");
    }
    trackLastUse = true;
    return this;
  }

  /**
   * Where exposure reports find ended grants whose access a downstream system has not confirmed
   * gone past a deadline (for example jit-teardown's {@code teardown.lingeringSource(deadline)}):
   * every report shows them in a section of their own, with their owner. Default: none.
   */
  public GovernanceBuilder lingeringSource(LingeringSource source) {
    this.lingeringSource = once(this.lingeringSource, source, "lingeringSource");
    return this;
  }

  /**
   * The governance, with its runtime built.
   *
   * @throws NullPointerException naming the field, if a required one is missing
   */
  public Governance build() {
    Objects.requireNonNull(runtime, "runtime must not be null");
    Objects.requireNonNull(grants, "grants must not be null");
    Objects.requireNonNull(clock, "clock must not be null");
    Objects.requireNonNull(scheduler, "scheduler must not be null");
    return new DefaultGovernance(new Context(this));
  }
}
