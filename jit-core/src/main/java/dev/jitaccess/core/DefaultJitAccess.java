package dev.jitaccess.core;

import dev.jitaccess.CheckContext;
import dev.jitaccess.Decision;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantStatus;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.spi.SharedGrantStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime behind {@link JitAccess}: validates arguments, refuses mutations once closed, and
 * hands each operation to the class that owns it.
 */
final class DefaultJitAccess implements JitAccess {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);

  private final @Nullable AutoCloseable ownScheduler;
  private final GrantStore store;
  private final AccessPolicy policy;
  private final Policies policies;
  private final Checker checker;
  private final Minter minter;
  private final Delegator delegator;
  private final Renewer renewer;
  private final Revoker revoker;
  private final Expirer expirer;
  private final AllowedChecks allowed;
  private final Barriers barriers;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ChangesElsewhere elsewhere;
  private final Clock clock;
  private final Grants grants;
  private final Reporter reporter;
  private final @Nullable Anomalies anomalies;
  /** The decision caches open on this runtime, closed with it. */
  private final List<CachedDecisions> caches = new CopyOnWriteArrayList<>();

  /** The subscription to a shared store's changes, if the store is shared. */
  private volatile @Nullable AutoCloseable following;

  private DefaultJitAccess(JitAccessBuilder b, Clock clock, Scheduler scheduler,
      @Nullable AutoCloseable ownScheduler, GrantStore store, AccessPolicy policy,
      AuditSink audit, Duration maxLifetime, Duration maxHardCap) {
    int maxDepth = b.maxDelegationDepth < 0
        ? JitAccessBuilder.DEFAULT_MAX_DELEGATION_DEPTH
        : b.maxDelegationDepth;
    this.ownScheduler = ownScheduler;
    this.store = store;
    this.policy = policy;
    Grants grants = new Grants(store);
    Reporter reporter = new Reporter(clock, audit, b.listeners);
    this.clock = clock;
    this.grants = grants;
    this.reporter = reporter;
    this.allowed = new AllowedChecks(
        b.allowedCheckAudit == null ? AllowedCheckAudit.OFF : b.allowedCheckAudit, grants,
        reporter);
    reporter.countWith(allowed);
    this.policies = new Policies(policy, reporter, maxLifetime, maxHardCap);
    Lineage lineage = new Lineage(grants, maxDepth);
    Cascade cascade =
        new Cascade(clock, grants, reporter, scheduler, b.cascadeExecutor, maxDepth);
    this.barriers = new Barriers(clock,
        b.endedTaskRetention == null ? JitAccessBuilder.DEFAULT_ENDED_TASK_RETENTION
            : b.endedTaskRetention,
        JitAccessBuilder.MAX_ENDED_TASKS);
    this.expirer = new Expirer(clock, scheduler, grants, cascade, closed::get);
    this.revoker = new Revoker(clock, grants, lineage, cascade, barriers);
    this.anomalies = Anomalies.create(b.anomalyDetectors, b.anomalyDetectorNames,
        b.anomalyListeners, clock, reporter, revoker, barriers, closed::get);
    this.checker = new Checker(clock, grants, lineage, cascade, reporter, allowed, anomalies);
    this.minter = new Minter(clock, grants, policies, reporter, allowed, expirer, barriers);
    this.delegator =
        new Delegator(clock, grants, lineage, policies, minter, revoker, maxDepth);
    this.renewer = new Renewer(clock, grants, lineage, policies, reporter);
    this.elsewhere = new ChangesElsewhere(expirer, reporter, cascade, closed::get);
  }

  static JitAccess create(JitAccessBuilder b) {
    Duration maxLifetime = b.maxLifetime == null
        ? Duration.ofMinutes(JitAccessBuilder.DEFAULT_MAX_LIFETIME_MINUTES)
        : b.maxLifetime;
    Duration maxHardCap = b.maxHardCap == null
        ? Duration.ofHours(JitAccessBuilder.DEFAULT_MAX_HARD_CAP_HOURS)
        : b.maxHardCap;
    if (maxHardCap.compareTo(maxLifetime) < 0) {
      throw new IllegalArgumentException(
          "maxHardCap must be >= maxLifetime " + maxLifetime + ", was " + maxHardCap);
    }
    Clock clock = b.clock == null ? Clock.systemUTC() : b.clock;
    GrantStore store = b.store != null ? b.store : discover(GrantStore.class, () -> null);
    AccessPolicy policy = b.policy != null
        ? b.policy
        : discover(AccessPolicy.class, AccessPolicy::approveWithinLimits);
    AuditSink audit = b.auditSink != null
        ? b.auditSink
        : discover(AuditSink.class, () -> Slf4jAuditSink.builder().clock(clock).build());
    DaemonScheduler own = null;
    Scheduler scheduler = b.scheduler;
    if (scheduler == null) {
      own = new DaemonScheduler("jit-access-expiry");
      scheduler = own;
    }
    if (store == null) {
      store = InMemoryGrantStore.builder().clock(clock).scheduler(scheduler).build();
    }
    DefaultJitAccess jit = new DefaultJitAccess(
        b, clock, scheduler, own, store, policy, audit, maxLifetime, maxHardCap);
    if (store instanceof SharedGrantStore) {
      // Followed before the listing, so a grant another runtime inserts meanwhile is either
      // listed or delivered (or both: a second timer for one grant is harmless).
      jit.following = ((SharedGrantStore) store).follow(jit.elsewhere);
    }
    int armed = jit.expirer.rearm();
    if (armed > 0) {
      LOG.info("Armed expiry timers for {} ACTIVE grants found in the store", armed);
    }
    return jit;
  }

  private static <T> @Nullable T discover(Class<T> type, Supplier<@Nullable T> fallback) {
    Iterator<T> found = ServiceLoader.load(type).iterator();
    if (!found.hasNext()) {
      return fallback.get();
    }
    T first = found.next();
    if (found.hasNext()) {
      throw new IllegalStateException("ServiceLoader found more than one " + type.getSimpleName()
          + " (" + first.getClass().getName() + ", " + found.next().getClass().getName()
          + "); set one on the builder");
    }
    LOG.info("Using {} {} found by ServiceLoader", type.getSimpleName(), first.getClass().getName());
    return first;
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException("closed");
    }
  }

  @Override
  public Grant request(GrantRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    requireOpen();
    return minter.request(request);
  }

  @Override
  public Decision check(String grantId, String action, String resource) {
    return checker.check(grantId, action, resource);
  }

  @Override
  public Decision check(String grantId, String action, String resource, CheckContext context) {
    return checker.check(grantId, action, resource, context);
  }

  @Override
  public DecisionCache decisionCache(int maxSize) {
    return openCache(maxSize, null);
  }

  @Override
  public DecisionCache decisionCache(int maxSize, Duration maxAge) {
    return openCache(maxSize, Validation.positive(maxAge, "maxAge"));
  }

  private DecisionCache openCache(int maxSize, @Nullable Duration maxAge) {
    CachedDecisions.checkMaxSize(maxSize);
    CachedDecisions cache = new CachedDecisions(this, grants, clock, maxSize, maxAge, closing -> {
      reporter.removeEndHook(closing);
      caches.remove(closing);
    });
    reporter.addEndHook(cache);
    caches.add(cache);
    if (closed.get()) { // closed meanwhile: it would no longer hear of ends made elsewhere
      cache.close();
    }
    return cache;
  }

  @Override
  public GrantStatus status(String grantId) {
    return checker.status(grantId);
  }

  @Override
  public Grant renew(String grantId, Duration extension) {
    Validation.id(grantId, "grantId");
    Validation.positive(extension, "extension");
    requireOpen();
    return renewer.renew(grantId, extension);
  }

  @Override
  public Grant delegate(String parentId, DelegationRequest request) {
    Validation.id(parentId, "parentId");
    Objects.requireNonNull(request, "request must not be null");
    requireOpen();
    return delegator.delegate(parentId, request);
  }

  @Override
  public boolean revoke(String grantId, RevocationReason reason) {
    Validation.id(grantId, "grantId");
    Objects.requireNonNull(reason, "reason must not be null");
    requireOpen();
    return revoker.revoke(grantId, reason);
  }

  @Override
  public int revokeSubject(String subject, RevocationReason reason) {
    String name = Validation.name(subject, "subject");
    Objects.requireNonNull(reason, "reason must not be null");
    requireOpen();
    return revoker.revokeSubject(name, reason);
  }

  @Override
  public int revokeOwner(String owner, RevocationReason reason) {
    String name = Validation.name(owner, "owner");
    Objects.requireNonNull(reason, "reason must not be null");
    requireOpen();
    return revoker.revokeOwner(name, reason);
  }

  @Override
  public int revokeTask(String task, RevocationReason reason) {
    String name = Validation.name(task, "task");
    Objects.requireNonNull(reason, "reason must not be null");
    requireOpen();
    return revoker.revokeTask(name, reason);
  }

  @Override
  public boolean isTaskEnded(String task) {
    return barriers.isEnded(Validation.name(task, "task"));
  }

  @Override
  public Optional<Grant> grant(String grantId) {
    if (!Validation.isWellFormedId(grantId)) {
      return Optional.empty();
    }
    return Optional.ofNullable(store.get(grantId)).filter(g -> g.id().equals(grantId));
  }

  @Override
  public Optional<Grant> grantByReference(String reference) {
    Objects.requireNonNull(reference, "reference must not be null");
    if (!GrantReference.isWellFormed(reference)) {
      return Optional.empty();
    }
    return Optional.ofNullable(store.findByReference(reference))
        .filter(g -> g.reference().equals(reference));
  }

  @Override
  public OptionalLong allowedChecks(String grantId) {
    return allowed.get(grantId);
  }

  /** How many names are shared now, for tests of the bound. */
  int sharedNameCount() {
    return minter.sharedNameCount();
  }

  /** The anomaly detectors of {@code type} this runtime runs, for tests. */
  <T> List<T> anomalyDetectors(Class<T> type) {
    return anomalies == null ? List.of() : anomalies.detectors(type);
  }

  /** How many expiry timers are pending, for tests. */
  int pendingTimers() {
    return expirer.pending();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (CachedDecisions cache : caches) {
      cache.close(); // it would no longer hear of ends made elsewhere
    }
    AutoCloseable follow = following;
    if (follow != null) {
      try {
        follow.close();
      } catch (Exception e) {
        LOG.warn("Stopping to follow the shared store failed", e);
      }
    }
    if (ownScheduler != null) {
      try {
        ownScheduler.close();
      } catch (Exception e) {
        LOG.warn("Stopping the expiry scheduler failed", e);
      }
    }
  }

  @Override
  public String toString() {
    return "JitAccess[store=" + store.getClass().getSimpleName() + ", policy=" + policy
        + ", maxLifetime=" + policies.maxLifetime + ", maxHardCap=" + policies.maxHardCap
        + (closed.get() ? ", closed" : "") + "]";
  }
}
