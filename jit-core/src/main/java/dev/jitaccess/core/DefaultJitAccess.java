package dev.jitaccess.core;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.Permission;
import dev.jitaccess.RevocationListener;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.UnknownGrantException;
import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.PolicyDecision;
import dev.jitaccess.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The runtime behind {@link JitAccess}. */
final class DefaultJitAccess implements JitAccess {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);
  /** How long a failed expiry attempt waits before it tries again. */
  private static final Duration EXPIRY_RETRY = Duration.ofSeconds(1);
  /** Why a grant that was stored, but whose request then failed, is not ACTIVE. */
  private static final RevocationReason NOT_ISSUED = RevocationReason.of("NOT_ISSUED");
  /** The most distinct subjects and owners shared at once. */
  static final int MAX_SHARED_NAMES = 1 << 16;

  private final Clock clock;
  private final ExpiryQueue expiries;
  private final @Nullable AutoCloseable ownScheduler;
  private final GrantStore store;
  private final AccessPolicy policy;
  private final AuditSink audit;
  private final RevocationListener[] listeners;
  private final Duration maxLifetime;
  private final Duration maxHardCap;
  private final int maxDelegationDepth;
  private final AllowedCheckAudit allowedCheckAudit;
  private final @Nullable ConcurrentHashMap<String, LongAdder> allowedCounts;
  private final Scheduler scheduler;
  private final @Nullable Executor cascadeExecutor;
  /**
   * Whether to check that a grant the store returns has the id asked for: for any store but the
   * runtime's own, which compares every bit of the id. A store that matched ids by pattern or
   * without case would otherwise hand a check someone else's grant.
   */
  private final boolean checkReturnedIds;
  /**
   * Shared instances of subjects and owners, which repeat across grants, so that each grant does
   * not keep its own copy. Best effort and bounded: past {@link #MAX_SHARED_NAMES} distinct names
   * it starts over, so an application with many distinct names loses only the sharing. A purpose
   * is kept as given: usually a constant of the application's code, already shared, or free text
   * that rarely repeats.
   */
  private final ConcurrentHashMap<String, String> sharedNames = new ConcurrentHashMap<>();

  private DefaultJitAccess(Builder b, Clock clock, Scheduler scheduler,
      @Nullable AutoCloseable ownScheduler, GrantStore store, AccessPolicy policy,
      AuditSink audit, Duration maxLifetime, Duration maxHardCap) {
    this.clock = clock;
    this.expiries = new ExpiryQueue(scheduler, clock, this::expire);
    this.scheduler = scheduler;
    this.cascadeExecutor = b.cascadeExecutor;
    this.ownScheduler = ownScheduler;
    this.store = store;
    this.checkReturnedIds = !(store instanceof InMemoryGrantStore);
    this.policy = policy;
    this.audit = audit;
    this.listeners = b.listeners.toArray(new RevocationListener[0]);
    this.maxLifetime = maxLifetime;
    this.maxHardCap = maxHardCap;
    this.maxDelegationDepth =
        b.maxDelegationDepth < 0 ? Builder.DEFAULT_MAX_DELEGATION_DEPTH : b.maxDelegationDepth;
    this.allowedCheckAudit = b.allowedCheckAudit == null ? AllowedCheckAudit.OFF : b.allowedCheckAudit;
    this.allowedCounts =
        allowedCheckAudit == AllowedCheckAudit.OFF ? null : new ConcurrentHashMap<>();
  }

  static JitAccess create(Builder b) {
    Duration maxLifetime = b.maxLifetime == null
        ? Duration.ofMinutes(Builder.DEFAULT_MAX_LIFETIME_MINUTES)
        : b.maxLifetime;
    Duration maxHardCap =
        b.maxHardCap == null ? Duration.ofHours(Builder.DEFAULT_MAX_HARD_CAP_HOURS) : b.maxHardCap;
    if (maxHardCap.compareTo(maxLifetime) < 0) {
      throw new IllegalArgumentException(
          "maxHardCap must be >= maxLifetime " + maxLifetime + ", was " + maxHardCap);
    }
    Clock clock = b.clock == null ? Clock.systemUTC() : b.clock;
    GrantStore store = b.store != null ? b.store : discover(GrantStore.class, () -> null);
    AccessPolicy policy = b.policy != null
        ? b.policy
        : discover(AccessPolicy.class, AccessPolicy::approveWithinLimits);
    AuditSink audit = b.auditSink != null ? b.auditSink : discover(AuditSink.class, Slf4jAuditSink::new);
    ExecutorScheduler own = null;
    Scheduler scheduler = b.scheduler;
    if (scheduler == null) {
      own = new ExecutorScheduler();
      scheduler = own;
    }
    if (store == null) {
      store = InMemoryGrantStore.builder().clock(clock).scheduler(scheduler).build();
    }
    return new DefaultJitAccess(
        b, clock, scheduler, own, store, policy, audit, maxLifetime, maxHardCap);
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

  // ---------------------------------------------------------------- request

  @Override
  public Grant request(GrantRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    checkLimits(request.ttl().lifetime(), request.ttl().hardCap(), "ttl");
    PolicyDecision decision = askPolicy(request, null);
    Scope scope = narrowedScope(request.scope(), decision, request);
    Duration lifetime = narrowedDuration(request.ttl().lifetime(), decision, request);
    Instant now = clock.instant();
    Duration cap = request.ttl().hardCap() == null ? maxHardCap : request.ttl().hardCap();
    Instant expiresAt = Times.plus(now, lifetime, "ttl.lifetime");
    Instant notAfter = Times.max(expiresAt, Times.plus(now, cap, "ttl.hardCap"));
    Grant grant = Grant.issue(GrantIds.next(), request, scope, now, expiresAt, notAfter, null,
        this::sharedName);
    LongAdder counter = openCounter(grant.id());
    try {
      store.insert(grant);
    } catch (Throwable e) { // an Error too: no ACTIVE grant may stay stored without its timer
      abandon(grant, counter, e);
      throw e;
    }
    try {
      scheduleExpiry(grant.id(), expiresAt);
    } catch (Throwable e) {
      abandon(grant, counter, e);
      if (e instanceof RuntimeException) {
        throw refuse(request, null, "SCHEDULER_FAILURE",
            "the expiry timer could not be scheduled: " + e, e);
      }
      throw e;
    }
    record(AuditEventType.ISSUED, grant, null, null, null, null);
    return grant;
  }

  /**
   * With allowed checks counted, the new grant's counter, made before the grant can be seen: its
   * terminal report, whenever it comes, then finds it and removes it. Null when not counting, or
   * if the id already has one (another grant's, which the store will refuse this one beside).
   */
  private @Nullable LongAdder openCounter(String grantId) {
    if (allowedCounts == null) {
      return null;
    }
    LongAdder counter = new LongAdder();
    return allowedCounts.putIfAbsent(grantId, counter) == null ? counter : null;
  }

  /**
   * The request for {@code grant} failed after the grant may have been stored: ends it (REVOKED,
   * {@code NOT_ISSUED}) before anyone holds its id, so the store keeps no ACTIVE grant that no
   * timer will end, and closes its counter. Only this very snapshot is ended: a different grant
   * with the same id is not this request's. A store failure here is added to {@code failure}.
   *
   * @return true if no ACTIVE grant with its id is stored now; false if one is, or if that is
   *     unknown
   */
  private boolean abandon(Grant grant, @Nullable LongAdder counter, Throwable failure) {
    if (counter != null) {
      Objects.requireNonNull(allowedCounts).remove(grant.id(), counter);
    }
    try {
      Grant current = stored(grant.id());
      while (current != null && current.equals(grant)) {
        Grant ended = current.end(GrantState.REVOKED, NOT_ISSUED, clock.instant());
        if (store.compareAndSet(current, ended)) {
          return true;
        }
        current = stored(grant.id());
      }
      // Another ACTIVE snapshot under this id: changed by someone else, or not this request's
      // grant at all. Either way it is not known to be inactive.
      return current == null || !current.isActive();
    } catch (Throwable e) {
      suppress(failure, e);
      LOG.error("Could not end grant {} of a failed request; checks deny it at {}",
          Validation.redactId(grant.id()), grant.expiresAt(), e);
      return false;
    }
  }

  /** Adds {@code later} to {@code failure}, unless it is the same throwable (a rethrown one). */
  static void suppress(Throwable failure, Throwable later) {
    if (later != failure) {
      failure.addSuppressed(later);
    }
  }

  private void checkLimits(Duration lifetime, @Nullable Duration cap, String field) {
    if (lifetime.compareTo(maxLifetime) > 0) {
      throw new IllegalArgumentException(
          field + ".lifetime must be <= maxLifetime " + maxLifetime + ", was " + lifetime);
    }
    if (cap != null && cap.compareTo(maxHardCap) > 0) {
      throw new IllegalArgumentException(
          field + ".hardCap must be <= maxHardCap " + maxHardCap + ", was " + cap);
    }
  }

  private PolicyDecision askPolicy(GrantRequest request, @Nullable Grant parent) {
    PolicyDecision decision;
    try {
      decision = Objects.requireNonNull(
          policy.onRequest(request, parent), "policy returned null");
    } catch (RuntimeException e) {
      throw refuse(request, parent, "POLICY_FAILURE", "policy failed: " + e, e);
    }
    if (!decision.isApproved()) {
      throw refuse(request, parent, Objects.requireNonNull(decision.reason()),
          "policy denied: " + decision.detail(), null);
    }
    return decision;
  }

  private Scope narrowedScope(Scope asked, PolicyDecision decision, GrantRequest request) {
    Scope narrowed = decision.narrowedScope();
    if (narrowed == null) {
      return asked;
    }
    if (!narrowed.isWithin(asked)) {
      throw refuse(request, null, "POLICY_WIDENED",
          "policy answered with a scope wider than the one asked for: " + narrowed, null);
    }
    return narrowed;
  }

  private Duration narrowedDuration(Duration asked, PolicyDecision decision, GrantRequest request) {
    Duration narrowed = decision.narrowedDuration();
    if (narrowed == null) {
      return asked;
    }
    if (narrowed.compareTo(asked) > 0) {
      throw refuse(request, null, "POLICY_WIDENED",
          "policy answered with a lifetime longer than the one asked for: " + narrowed, null);
    }
    return narrowed;
  }

  private GrantDeniedException refuse(GrantRequest request, @Nullable Grant parent, String reason,
      String detail, @Nullable Throwable cause) {
    safeAudit(new AuditEvent(AuditEventType.DENIED, clock.instant(), null,
        parent == null ? null : parent.id(), request.subject(), request.owner(), request.task(),
        request.scope().toString(), null, reason, null, null, detail));
    return new GrantDeniedException(reason, "request for " + request.scope() + " refused (" + reason
        + "): " + detail, cause);
  }

  // ---------------------------------------------------------------- check

  @Override
  public Decision check(String grantId, String action, String resource) {
    try {
      Decision decision = evaluate(grantId, action, resource);
      if (decision.isDenied()) {
        recordDenial(grantId, action, resource, decision);
      }
      return decision;
    } catch (Throwable e) { // an Error from a backend too: a check never throws, it denies
      LOG.warn("Check failed; denying", e);
      Decision decision = Decision.deny(DenyReason.BACKEND_FAILURE, e.getClass().getSimpleName());
      recordDenial(grantId, action, resource, decision);
      return decision;
    }
  }

  private Decision evaluate(@Nullable String grantId, @Nullable String action,
      @Nullable String resource) {
    if (grantId == null || grantId.isEmpty() || grantId.length() > Validation.MAX_TEXT_LENGTH) {
      return Decision.deny(DenyReason.UNKNOWN_GRANT);
    }
    // No character scan first: a malformed id is never a key, so the lookup misses.
    while (true) {
      Grant grant = stored(grantId);
      if (grant == null) {
        return Decision.deny(DenyReason.UNKNOWN_GRANT);
      }
      if (!grant.isActive() || !grant.isWithinValidity(clock)) {
        Instant now = clock.instant();
        Decision unusable = usability(grant, now);
        // null: the clock moved back into the window between the two readings; decide again.
        if (unusable == null) {
          continue;
        }
        if (grant.isActive() && unusable.reason() == DenyReason.EXPIRED
            && !endExpired(grant, now)) {
          continue; // renewed (or ended) meanwhile: decide again on what is stored now
        }
        return unusable;
      }
      if (!grant.scope().permits(action, resource)) {
        return Permission.isWellFormedRequest(action, resource)
            ? Decision.deny(DenyReason.OUT_OF_SCOPE)
            : Decision.deny(DenyReason.MALFORMED_REQUEST);
      }
      if (grant.parentId() != null) {
        Decision ancestors = ancestorsUsable(grant, clock.instant());
        if (ancestors != null) {
          return ancestors;
        }
      }
      if (!grant.hasUseBudget()) {
        if (allowedCounts != null) {
          countAllowed(grant, action, resource, clock.instant(), false);
        }
        return Decision.allow();
      }
      Grant spent = spendUse(grant, clock.instant());
      if (spent == null) {
        continue; // lost a race for the budget: read again and decide on the new snapshot
      }
      // Counted before the last use's terminal report, which carries the count.
      if (allowedCounts != null) {
        countAllowed(grant, action, resource, clock.instant(), !spent.isActive());
      }
      if (!spent.isActive()) {
        cancelAndCascade(spent);
      }
      return Decision.allow();
    }
  }

  /** Null when the grant itself is usable at {@code now}, else the denial. */
  private static @Nullable Decision usability(Grant grant, Instant now) {
    switch (grant.state()) {
      case ACTIVE:
        break;
      case EXPIRED:
        return Decision.deny(DenyReason.EXPIRED);
      case EXHAUSTED:
        return Decision.deny(DenyReason.EXHAUSTED);
      default:
        return Decision.deny(DenyReason.REVOKED);
    }
    if (grant.isExpiredAt(now)) {
      return Decision.deny(DenyReason.EXPIRED);
    }
    if (grant.isNotYetValidAt(now)) {
      return Decision.deny(DenyReason.NOT_YET_VALID);
    }
    return null;
  }

  /** Null when every ancestor is usable, else the denial (an ended ancestor revokes). */
  private @Nullable Decision ancestorsUsable(Grant grant, Instant now) {
    String parentId = grant.parentId();
    for (int depth = 0; parentId != null; depth++) {
      Grant parent = stored(parentId);
      if (parent == null || depth > maxDelegationDepth) {
        return Decision.deny(DenyReason.REVOKED, "an ancestor grant is gone");
      }
      Decision usable = usability(parent, now);
      if (usable != null) {
        return usable.reason() == DenyReason.EXPIRED
            ? Decision.deny(DenyReason.EXPIRED)
            : Decision.deny(DenyReason.REVOKED);
      }
      parentId = parent.parentId();
    }
    return null;
  }

  /**
   * Ends a grant that a check found ACTIVE past its expiry (its timer has not run yet), and
   * reports it, as its timer would have. Once a check has denied a grant as expired, a renewal
   * that read the clock before the expiry but stores its extension only after it can no longer
   * bring the grant back: its compare-and-set fails against the ended grant. (A delegated grant
   * never outlives its parent's expiry, so a check never needs to end an ancestor this way.)
   *
   * <p>A store that fails here leaves the grant to its timer; the check still denies it.
   *
   * @return false if the stored grant was no longer {@code grant} and is ACTIVE (renewed meanwhile)
   */
  private boolean endExpired(Grant grant, Instant now) {
    Grant expired = grant.end(GrantState.EXPIRED, RevocationReason.EXPIRED, now);
    try {
      if (!store.compareAndSet(grant, expired)) {
        Grant current = stored(grant.id());
        return current == null || !current.isActive();
      }
    } catch (Throwable e) { // an Error too: the decision is a denial either way
      LOG.warn("Ending expired grant {} on a check failed; its timer ends it",
          Validation.redactId(grant.id()), e);
      return true;
    }
    cancelAndCascade(expired);
    return true;
  }

  /**
   * Spends one use atomically: the stored snapshot (EXHAUSTED if it was the last use, which the
   * caller then reports), or null if the snapshot was stale and must be read again.
   */
  private @Nullable Grant spendUse(Grant grant, Instant now) {
    long spent = grant.usesConsumed() + 1;
    Grant next = grant.withUsesConsumed(spent);
    if (spent == grant.useBudget().getAsLong()) {
      next = next.end(GrantState.EXHAUSTED, RevocationReason.EXHAUSTED, now);
    }
    return store.compareAndSet(grant, next) ? next : null;
  }

  /**
   * Counts an allowed check. A grant this runtime minted has had its counter since before it could
   * be seen, until its terminal report removes it. A grant inserted into the store by other means
   * gets one at its first allowed check; since a check that allowed just before the grant ended
   * must not create it again after the report, it is created only while the grant is ACTIVE in the
   * store, or by the check that ended it (which reports it next). An allowed check counted after
   * the report is not in it.
   */
  private void countAllowed(Grant grant, @Nullable String action, @Nullable String resource,
      Instant now, boolean endedByThisCheck) {
    ConcurrentHashMap<String, LongAdder> counts = Objects.requireNonNull(allowedCounts);
    LongAdder count = counts.get(grant.id());
    if (count == null) {
      count = counts.computeIfAbsent(grant.id(),
          id -> endedByThisCheck || isActiveInStore(id) ? new LongAdder() : null);
    }
    if (count != null) {
      count.increment();
    }
    if (allowedCheckAudit == AllowedCheckAudit.EACH) {
      safeAudit(new AuditEvent(AuditEventType.ALLOWED, now, grant.id(), grant.parentId(),
          grant.subject(), grant.owner(), grant.task(), null, null, null, action, resource, null));
    }
  }

  private boolean isActiveInStore(String grantId) {
    try {
      Grant current = stored(grantId);
      return current != null && current.isActive();
    } catch (Throwable e) {
      return false; // the count is lost, not the decision
    }
  }

  private void recordDenial(@Nullable String grantId, @Nullable String action,
      @Nullable String resource, Decision decision) {
    String id = Validation.isWellFormedId(grantId) ? grantId : null;
    safeAudit(new AuditEvent(AuditEventType.DENIED, clock.instant(), id, null, null, null, null,
        null, null, String.valueOf(decision.reason()),
        action == null ? null : Validation.abbreviate(action),
        resource == null ? null : Validation.abbreviate(resource), decision.detail()));
  }

  // ---------------------------------------------------------------- renew

  @Override
  public Grant renew(String grantId, Duration extension) {
    Validation.id(grantId, "grantId");
    Validation.positive(extension, "extension");
    if (extension.compareTo(maxLifetime) > 0) {
      throw new IllegalArgumentException(
          "extension must be <= maxLifetime " + maxLifetime + ", was " + extension);
    }
    while (true) {
      Grant grant = stored(grantId);
      if (grant == null) {
        throw new UnknownGrantException("grantId", grantId);
      }
      requireUsable(grant, clock.instant(), "renew");
      PolicyDecision decision;
      try {
        decision = Objects.requireNonNull(policy.onRenewal(grant, extension), "policy returned null");
      } catch (RuntimeException e) {
        throw refuseRenewal(grant, "POLICY_FAILURE", "policy failed: " + e, e);
      }
      if (!decision.isApproved()) {
        throw refuseRenewal(grant, Objects.requireNonNull(decision.reason()),
            "policy denied: " + decision.detail(), null);
      }
      Duration granted = extension;
      if (decision.narrowedDuration() != null) {
        if (decision.narrowedDuration().compareTo(extension) > 0) {
          throw refuseRenewal(grant, "POLICY_WIDENED",
              "policy answered with an extension longer than the one asked for", null);
        }
        granted = decision.narrowedDuration();
      }
      // The policy may have taken its time: decide on the clock as it reads now, so that a
      // grant that expired meanwhile (with its timer not yet run) is not brought back.
      Instant now = clock.instant();
      if (!now.isBefore(grant.expiresAt())) {
        Grant current = stored(grantId);
        if (current != null && !current.equals(grant)) {
          continue; // renewed (or ended) meanwhile: decide again on what is stored now
        }
      }
      requireUsable(grant, now, "renew");
      Instant cap = grant.notAfter();
      if (grant.parentId() != null) {
        Grant parent = stored(grant.parentId());
        if (parent == null || !parent.isUsableAt(now)) {
          throw new GrantStateException(parent == null ? GrantState.REVOKED : parent.state(),
              "grant " + Validation.redactId(grantId) + " cannot be renewed: its parent has ended");
        }
        cap = Times.min(cap, parent.expiresAt());
      }
      Instant target = Times.plus(now, granted, "extension");
      Instant newExpiry = Times.min(target, cap);
      if (!newExpiry.isAfter(grant.expiresAt())) {
        if (target.isAfter(cap)) {
          throw refuseRenewal(grant, "HARD_CAP_REACHED", "grant cannot be renewed past "
              + (cap.equals(grant.notAfter()) ? "its notAfter " : "its parent's expiry ") + cap,
              null);
        }
        return grant; // already valid for longer than asked: a renewal never shortens
      }
      Grant renewed = grant.withExpiresAt(newExpiry);
      if (store.compareAndSet(grant, renewed)) {
        record(AuditEventType.RENEWED, renewed, null, null, null, null);
        return renewed;
      }
    }
  }

  private void requireUsable(Grant grant, Instant now, String operation) {
    if (!grant.isActive()) {
      throw new GrantStateException(grant.id(), grant.state(), operation);
    }
    if (!now.isBefore(grant.expiresAt())) {
      throw new GrantStateException(GrantState.EXPIRED, "grant " + Validation.redactId(grant.id())
          + " must be ACTIVE to " + operation + ", it expired at " + grant.expiresAt());
    }
  }

  private GrantDeniedException refuseRenewal(Grant grant, String reason, String detail,
      @Nullable Throwable cause) {
    safeAudit(new AuditEvent(AuditEventType.DENIED, clock.instant(), grant.id(), grant.parentId(),
        grant.subject(), grant.owner(), grant.task(), null, grant.expiresAt(), reason, null, null,
        "renewal: " + detail));
    return new GrantDeniedException(reason, "renewal of grant " + Validation.redactId(grant.id())
        + " refused (" + reason + "): " + detail, cause);
  }

  // ---------------------------------------------------------------- delegate

  @Override
  public Grant delegate(String parentId, DelegationRequest request) {
    Validation.id(parentId, "parentId");
    Objects.requireNonNull(request, "request must not be null");
    checkLimits(request.ttl().lifetime(), request.ttl().hardCap(), "ttl");
    Grant parent = stored(parentId);
    if (parent == null) {
      throw new UnknownGrantException("parentId", parentId);
    }
    Instant now = clock.instant();
    requireUsable(parent, now, "delegate");
    int depth = depthOf(parent) + 1;
    if (depth > maxDelegationDepth) {
      throw new IllegalArgumentException("delegation depth must be <= maxDelegationDepth "
          + maxDelegationDepth + ", would be " + depth);
    }
    List<Permission> wider = request.scope().notWithin(parent.scope());
    if (!wider.isEmpty()) {
      throw new IllegalArgumentException(
          "scope must be within the parent's scope; not covered: " + wider);
    }
    GrantRequest childRequest = GrantRequest.builder()
        .subject(request.subject())
        .owner(parent.owner())
        .task(request.task() == null ? parent.task() : request.task())
        .purpose(request.purpose() == null ? parent.purpose() : request.purpose())
        .scope(request.scope())
        .ttl(request.ttl())
        .build();
    Instant asked = Times.plus(now, request.ttl().lifetime(), "ttl.lifetime");
    if (asked.isAfter(parent.expiresAt())) {
      throw new IllegalArgumentException("ttl.lifetime must end no later than the parent, which "
          + "expires at " + parent.expiresAt() + "; the child would expire at " + asked);
    }
    if (parent.useBudget().isPresent()) {
      long remaining = parent.usesRemaining().getAsLong();
      if (request.useBudget().isEmpty() || request.useBudget().getAsLong() >= remaining) {
        throw new IllegalArgumentException("useBudget must be set and < the parent's remaining "
            + remaining + " uses, because the parent has a use budget; was "
            + (request.useBudget().isEmpty() ? "unlimited" : request.useBudget().getAsLong()));
      }
      childRequest = childRequest.toBuilder().useBudget(request.useBudget().getAsLong()).build();
    } else if (request.useBudget().isPresent()) {
      childRequest = childRequest.toBuilder().useBudget(request.useBudget().getAsLong()).build();
    }
    PolicyDecision decision = askPolicy(childRequest, parent);
    Scope scope = narrowedScope(request.scope(), decision, childRequest);
    Duration lifetime = narrowedDuration(request.ttl().lifetime(), decision, childRequest);
    long moved = 0;
    if (childRequest.useBudget().isPresent() && parent.useBudget().isPresent()) {
      moved = childRequest.useBudget().getAsLong();
      parent = moveUses(parent, moved, now);
    }
    Grant child;
    try {
      Instant expiresAt = Times.plus(now, lifetime, "ttl.lifetime");
      Duration cap = request.ttl().hardCap() == null ? maxHardCap : request.ttl().hardCap();
      Instant notAfter = Times.max(expiresAt,
          Times.min(Times.plus(now, cap, "ttl.hardCap"), parent.notAfter()));
      child = Grant.issue(GrantIds.next(), childRequest, scope, now, expiresAt, notAfter,
          parent.id(), this::sharedName);
    } catch (Throwable e) {
      returnUses(parent.id(), moved, e); // nothing was stored
      throw e;
    }
    // From here on the child may be stored: its uses go back only once it is known not ACTIVE.
    LongAdder counter = openCounter(child.id());
    try {
      store.insert(child);
    } catch (Throwable e) {
      if (abandon(child, counter, e)) {
        returnUses(parent.id(), moved, e);
      }
      throw e;
    }
    try {
      scheduleExpiry(child.id(), child.expiresAt());
    } catch (Throwable e) {
      if (abandon(child, counter, e)) {
        returnUses(parent.id(), moved, e);
      }
      if (e instanceof RuntimeException) {
        throw refuse(childRequest, parent, "SCHEDULER_FAILURE",
            "the expiry timer could not be scheduled: " + e, e);
      }
      throw e;
    }
    record(AuditEventType.DELEGATED, child, null, null, null, null);
    // A revocation of the parent that raced this delegation may have missed the new child.
    Grant parentNow = stored(parent.id());
    if (parentNow == null || !parentNow.isUsableAt(clock.instant())) {
      endOne(child.id(), RevocationReason.PARENT_REVOKED);
      throw new GrantStateException(parentNow == null ? GrantState.REVOKED : parentNow.state(),
          "parent grant " + Validation.redactId(parentId) + " ended during the delegation");
    }
    return child;
  }

  private int depthOf(Grant grant) {
    int depth = 0;
    String parentId = grant.parentId();
    while (parentId != null && depth <= maxDelegationDepth) {
      depth++;
      Grant parent = stored(parentId);
      parentId = parent == null ? null : parent.parentId();
    }
    return depth;
  }

  /**
   * Gives back uses that a delegation moved out of its parent's budget and then failed to hand to
   * a child. A parent that has ended keeps them: they no longer decide anything. A store failure
   * here is added to {@code failure}, which the caller throws.
   */
  private void returnUses(String parentId, long uses, Throwable failure) {
    if (uses == 0) {
      return;
    }
    try {
      Grant current = stored(parentId);
      while (current != null && current.isActive()) {
        Grant back = current.withUsesConsumed(Math.max(0, current.usesConsumed() - uses));
        if (store.compareAndSet(current, back)) {
          return;
        }
        current = stored(parentId);
      }
    } catch (Throwable e) {
      suppress(failure, e);
      LOG.error("Could not give {} uses back to grant {} after a failed delegation", uses,
          Validation.redactId(parentId), e);
    }
  }

  /** Moves {@code uses} out of the parent's budget; the parent keeps at least one use. */
  private Grant moveUses(Grant parent, long uses, Instant now) {
    Grant current = parent;
    while (true) {
      requireUsable(current, now, "delegate");
      long remaining = current.usesRemaining().getAsLong();
      if (uses >= remaining) {
        throw new IllegalArgumentException("useBudget must be < the parent's remaining "
            + remaining + " uses, was " + uses);
      }
      Grant next = current.withUsesConsumed(current.usesConsumed() + uses);
      if (store.compareAndSet(current, next)) {
        return next;
      }
      Grant reread = stored(parent.id());
      if (reread == null) {
        throw new UnknownGrantException("parentId", parent.id());
      }
      current = reread;
    }
  }

  /** The shared instance of a subject or owner equal to {@code name}. */
  private String sharedName(String name) {
    String known = sharedNames.get(name);
    if (known != null) {
      return known;
    }
    if (sharedNames.size() >= MAX_SHARED_NAMES) {
      sharedNames.clear();
    }
    known = sharedNames.putIfAbsent(name, name);
    return known != null ? known : name;
  }

  /** How many names are shared now, for tests of the bound. */
  int sharedNameCount() {
    return sharedNames.size();
  }

  // ---------------------------------------------------------------- revoke

  @Override
  public boolean revoke(String grantId, RevocationReason reason) {
    Validation.id(grantId, "grantId");
    Objects.requireNonNull(reason, "reason must not be null");
    return endOne(grantId, reason);
  }

  @Override
  public int revokeSubject(String subject, RevocationReason reason) {
    Validation.name(subject, "subject");
    Objects.requireNonNull(reason, "reason must not be null");
    return revokeAll(store.findBySubject(subject), reason);
  }

  @Override
  public int revokeOwner(String owner, RevocationReason reason) {
    Validation.name(owner, "owner");
    Objects.requireNonNull(reason, "reason must not be null");
    return revokeAll(store.findByOwner(owner), reason);
  }

  @Override
  public int revokeTask(String task, RevocationReason reason) {
    Validation.name(task, "task");
    Objects.requireNonNull(reason, "reason must not be null");
    return revokeAll(store.findByTask(task), reason);
  }

  /**
   * Ends each grant found with {@code reason}, the deepest delegations first: a found grant
   * delegated from another found one is ended by this call with {@code reason} and counted, not
   * ended by its ancestor's cascade with PARENT_REVOKED, whatever order the store returned them in.
   */
  private int revokeAll(Collection<Grant> grants, RevocationReason reason) {
    List<Grant> active = new ArrayList<>(grants.size());
    for (Grant grant : grants) {
      if (grant.isActive()) {
        active.add(grant);
      }
    }
    if (active.size() > 1) {
      Map<String, Integer> depths = new HashMap<>();
      for (Grant grant : active) {
        depths.put(grant.id(), depthOf(grant));
      }
      active.sort(Comparator.comparing((Grant grant) -> depths.get(grant.id())).reversed());
    }
    int ended = 0;
    for (Grant grant : active) {
      if (endOne(grant.id(), reason)) {
        ended++;
      }
    }
    return ended;
  }

  /** Revokes one grant and its descendants, then reports them; false if it was not ACTIVE. */
  private boolean endOne(String grantId, RevocationReason reason) {
    while (true) {
      Grant grant = stored(grantId);
      if (grant == null || !grant.isActive()) {
        return false;
      }
      Grant ended = grant.end(GrantState.REVOKED, reason, clock.instant());
      if (store.compareAndSet(grant, ended)) {
        cancelAndCascade(ended);
        return true;
      }
    }
  }

  /**
   * After {@code ended} has been recorded: ends every descendant still ACTIVE (EXPIRED if its own
   * time is up, else REVOKED with PARENT_REVOKED) and reports them all, parents first. Without a
   * cascade executor all of it happens here; with one, {@code ended} is reported here and its
   * descendants on the executor. A cascade the store fails partway is retried on the scheduler:
   * the descendants deny meanwhile (checks walk the ancestor chain), and none is left unreported.
   */
  private void cancelAndCascade(Grant ended) {
    if (cascadeExecutor == null) {
      List<Grant> reported = new ArrayList<>();
      reported.add(ended);
      boolean complete = tryEndDescendants(ended, reported::add);
      for (Grant grant : reported) {
        report(grant);
      }
      if (!complete) {
        retryCascade(ended);
      }
      return;
    }
    report(ended);
    try {
      cascadeExecutor.execute(() -> cascadeLater(ended));
    } catch (Throwable e) { // an Error too (no thread to run it): run it here
      LOG.warn("Cascade executor refused the descendants of grant {}; ending them here",
          Validation.redactId(ended.id()), e);
      cascadeLater(ended);
    }
  }

  /** Ends and reports each descendant; on failure, tries again on the scheduler. */
  private void cascadeLater(Grant ended) {
    if (!tryEndDescendants(ended, this::report)) {
      retryCascade(ended);
    }
  }

  private boolean tryEndDescendants(Grant ended, Consumer<Grant> sink) {
    try {
      endDescendants(ended, sink);
      return true;
    } catch (Throwable e) { // an Error too: no descendant may be left unreported
      LOG.warn("Ending the descendants of grant {} failed; retrying in {}",
          Validation.redactId(ended.id()), EXPIRY_RETRY, e);
      return false;
    }
  }

  private void retryCascade(Grant ended) {
    try {
      scheduler.schedule(() -> cascadeLater(ended), EXPIRY_RETRY);
    } catch (Throwable e) {
      LOG.error("Scheduling the retry for the descendants of grant {} failed; they deny, but are "
          + "not ended or reported", Validation.redactId(ended.id()), e);
    }
  }

  /**
   * Ends each descendant of {@code ended} still ACTIVE, parents first; hands each to {@code sink}.
   * Walks at most {@code maxDelegationDepth} levels, so that grants inserted with a parent cycle
   * cannot make it loop.
   */
  private void endDescendants(Grant ended, Consumer<Grant> sink) {
    Instant now = clock.instant();
    List<String> level = List.of(ended.id());
    for (int depth = 0; !level.isEmpty(); depth++) {
      List<String> next = new ArrayList<>();
      for (String parentId : level) {
        Collection<Grant> children = store.findByParent(parentId);
        if (depth == maxDelegationDepth && !children.isEmpty()) {
          LOG.warn("Grant {} has delegations deeper than maxDelegationDepth {}; they deny "
              + "through their ancestors but are not ended here", Validation.redactId(ended.id()),
              maxDelegationDepth);
          return;
        }
        for (Grant child : children) {
          Grant endedChild = endDescendant(child, now);
          if (endedChild != null) {
            sink.accept(endedChild);
          }
          next.add(child.id());
        }
      }
      level = next;
    }
  }

  private @Nullable Grant endDescendant(Grant child, Instant now) {
    Grant current = child;
    while (current != null && current.isActive()) {
      Grant ended = !current.isExpiredAt(now)
          ? current.end(GrantState.REVOKED, RevocationReason.PARENT_REVOKED, now)
          : current.end(GrantState.EXPIRED, RevocationReason.EXPIRED, now);
      if (store.compareAndSet(current, ended)) {
        return ended;
      }
      current = stored(child.id());
    }
    return null;
  }

  // ---------------------------------------------------------------- expiry

  private void scheduleExpiry(String grantId, Instant at) {
    expiries.add(grantId, at);
  }

  /** The timer of one grant: ends it if its time is up, else waits for its (renewed) expiry. */
  private void expire(String grantId) {
    try {
      while (true) {
        Grant grant = stored(grantId);
        if (grant == null || !grant.isActive()) {
          return;
        }
        Instant now = clock.instant();
        if (now.isBefore(grant.expiresAt())) {
          scheduleExpiry(grantId, grant.expiresAt());
          return;
        }
        Grant expired = grant.end(GrantState.EXPIRED, RevocationReason.EXPIRED, now);
        if (store.compareAndSet(grant, expired)) {
          cancelAndCascade(expired);
          return;
        }
      }
    } catch (Throwable e) { // an Error too: a timer that is not retried loses the expiry
      LOG.warn("Expiring grant {} failed; retrying in {}", Validation.redactId(grantId),
          EXPIRY_RETRY, e);
      expiries.add(grantId, Times.plus(clock.instant(), EXPIRY_RETRY, "retry"));
    }
  }

  // ---------------------------------------------------------------- reporting

  /** Audits a grant that left ACTIVE and tells every listener. */
  private void report(Grant ended) {
    AuditEventType type;
    switch (ended.state()) {
      case EXPIRED:
        type = AuditEventType.EXPIRED;
        break;
      case EXHAUSTED:
        type = AuditEventType.EXHAUSTED;
        break;
      default:
        type = AuditEventType.REVOKED;
        break;
    }
    String detail = null;
    if (allowedCounts != null) {
      LongAdder count = allowedCounts.remove(ended.id());
      detail = "allowedChecks=" + (count == null ? 0 : count.sum());
    }
    RevocationReason reason = Objects.requireNonNull(ended.endReason());
    record(type, ended, reason.code(), null, null, detail);
    for (RevocationListener listener : listeners) {
      try {
        listener.onRevocation(ended, reason);
      } catch (Throwable e) { // an Error too: every other listener must still hear of it
        LOG.error("RevocationListener {} failed for grant {}; the revocation stands",
            listener, Validation.redactId(ended.id()), e);
      }
    }
  }

  private void record(AuditEventType type, Grant grant, @Nullable String reason,
      @Nullable String action, @Nullable String resource, @Nullable String detail) {
    boolean lifecycleStart = type == AuditEventType.ISSUED || type == AuditEventType.DELEGATED;
    // A grant is issued at the instant it records: the event needs no second clock read.
    Instant at = lifecycleStart ? grant.issuedAt() : clock.instant();
    safeAudit(new AuditEvent(type, at, grant.id(), grant.parentId(), grant.subject(),
        grant.owner(), grant.task(), lifecycleStart ? grant.scope().toString() : null,
        grant.isActive() ? grant.expiresAt() : null, reason, action, resource, detail));
  }

  private void safeAudit(AuditEvent event) {
    try {
      audit.record(event);
    } catch (Throwable e) { // an Error too: the lifecycle step it records goes on
      LOG.error("AuditSink {} failed to record {} event", audit, event.type(), e);
    }
  }

  // ---------------------------------------------------------------- queries

  /**
   * The store's grant under {@code id}, or null. A grant with another id, which a store that
   * matches ids loosely may return, counts as none: an unknown id.
   */
  private @Nullable Grant stored(String id) {
    Grant grant = store.get(id);
    if (grant != null && checkReturnedIds && !id.equals(grant.id())) {
      LOG.warn("GrantStore {} answered a lookup with a grant of another id; treating the id as "
          + "unknown", store.getClass().getName());
      return null;
    }
    return grant;
  }

  @Override
  public Optional<Grant> grant(String grantId) {
    if (!Validation.isWellFormedId(grantId)) {
      return Optional.empty();
    }
    return Optional.ofNullable(stored(grantId));
  }

  @Override
  public OptionalLong allowedChecks(String grantId) {
    if (allowedCounts == null || grantId == null) {
      return OptionalLong.empty();
    }
    LongAdder count = allowedCounts.get(grantId);
    return count == null ? OptionalLong.empty() : OptionalLong.of(count.sum());
  }

  @Override
  public void close() {
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
        + ", maxLifetime=" + maxLifetime + ", maxHardCap=" + maxHardCap + "]";
  }
}
