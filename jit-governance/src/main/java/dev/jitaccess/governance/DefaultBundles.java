package dev.jitaccess.governance;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.GovernanceException.Rule;
import dev.jitaccess.governance.spi.BundleStore;
import dev.jitaccess.spi.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link Bundles} on a {@link BundleStore}, minting through the governed runtime. */
final class DefaultBundles implements Bundles {
  private static final Logger LOG = LoggerFactory.getLogger(Bundles.class);
  /** What grants minted from a bundle record as their request: this prefix and its name. */
  static final String PREFIX = "bundle:";

  private final Context ctx;
  private final JitAccess access;
  private final BundleStore store;
  private final Map<String, Scheduler.Cancellable> timers = new ConcurrentHashMap<>();

  DefaultBundles(Context ctx, JitAccess access) {
    this.ctx = ctx;
    this.access = access;
    this.store = ctx.bundles;
  }

  @Override
  public Bundle create(BundleSpec spec) {
    Objects.requireNonNull(spec, "spec must not be null");
    Instant now = ctx.clock.instant();
    RiskTier tier = ctx.tiers.get(spec.tier());
    ctx.requireOwner(spec.owner());
    if (!spec.endsAt().isAfter(spec.startsAt()) || !spec.endsAt().isAfter(now)) {
      throw new GovernanceException(Rule.BUNDLE_WINDOW, "endsAt must be after startsAt "
          + spec.startsAt() + " and after now, was " + spec.endsAt());
    }
    Duration window = Duration.between(spec.startsAt(), spec.endsAt());
    if (window.compareTo(tier.maxBundleWindow()) > 0) {
      throw new GovernanceException(Rule.BUNDLE_WINDOW, "window must be at most tier "
          + tier.name() + "'s maxBundleWindow " + tier.maxBundleWindow() + ", was " + window);
    }
    Bundle bundle = new Bundle(spec.name(), spec.owner(), spec.approvedBy(), spec.scope(),
        tier.name(), spec.startsAt(), spec.endsAt(), now, BundleState.ACTIVE, null, 0);
    try {
      store.insert(bundle);
    } catch (IllegalStateException taken) {
      throw new GovernanceException(Rule.UNKNOWN_BUNDLE,
          "a bundle named " + spec.name() + " exists");
    }
    ctx.record(event(AuditEventType.BUNDLE_CREATED, bundle, spec.approvedBy())
        .detail("window " + spec.startsAt() + " to " + spec.endsAt()).build());
    schedule(bundle);
    return bundle;
  }

  private AuditEvent.Builder event(AuditEventType type, Bundle b, String actor) {
    return AuditEvent.builder(type, ctx.clock.instant()).requestId(PREFIX + b.name())
        .owner(b.owner()).scope(b.scope().toString()).tier(b.tier()).actor(actor);
  }

  private Bundle load(String name) {
    Bundle b = store.get(Objects.requireNonNull(name, "bundle must not be null"));
    if (b == null) {
      throw new GovernanceException(Rule.UNKNOWN_BUNDLE, "no bundle is named " + name);
    }
    return b;
  }

  /** The bundle, ended first if its window has closed. */
  private Bundle current(String name) {
    Bundle b = load(name);
    return b.state() == BundleState.ACTIVE && !ctx.clock.instant().isBefore(b.endsAt())
        ? close(b, "window closed", RevocationReason.of(BUNDLE_ENDED), BundleState.ENDED) : b;
  }

  @Override
  public int addMembers(String bundle, Collection<String> members, String actor) {
    Names.check(actor, "actor");
    Bundle b = current(bundle);
    if (b.state() != BundleState.ACTIVE) {
      throw new GovernanceException(Rule.OUTSIDE_WINDOW, "bundle " + bundle + " is " + b.state());
    }
    for (String m : members) {
      Names.check(m, "member");
    }
    int added = store.addMembers(bundle, members);
    ctx.record(event(AuditEventType.MEMBERS_ADDED, b, actor).detail(added + " added").build());
    return added;
  }

  @Override
  public List<String> removeMembers(String bundle, Collection<String> members, String actor) {
    Names.check(actor, "actor");
    Bundle b = load(bundle);
    List<String> removed = store.removeMembers(bundle, members);
    RevocationReason reason = RevocationReason.of(MEMBER_REMOVED);
    for (String member : removed) {
      for (String grantId : store.grantsOf(bundle, member)) {
        access.revoke(grantId, reason);
      }
    }
    ctx.record(event(AuditEventType.MEMBERS_REMOVED, b, actor)
        .detail(removed.size() + " removed").build());
    return removed;
  }

  @Override
  public Grant activate(String bundle, String member, String task, String purpose, Scope scope,
      Duration lifetime) {
    Names.check(member, "member");
    Objects.requireNonNull(scope, "scope must not be null");
    Objects.requireNonNull(lifetime, "lifetime must not be null");
    Bundle b = current(bundle);
    Instant now = ctx.clock.instant();
    if (!b.isOpenAt(now)) {
      throw new GovernanceException(Rule.OUTSIDE_WINDOW, "bundle " + bundle + " is open from "
          + b.startsAt() + " to " + b.endsAt() + (b.state() == BundleState.ACTIVE ? ""
              : ", and " + b.state()));
    }
    if (ctx.recertifications.isSuspended(PREFIX + bundle)) {
      throw new GovernanceException(Rule.SUSPENDED, "bundle " + bundle
          + " is suspended until its owner recertifies it");
    }
    if (!store.isMember(bundle, member)) {
      throw new GovernanceException(Rule.NOT_MEMBER,
          member + " is not a member of bundle " + bundle);
    }
    if (!scope.isWithin(b.scope())) {
      throw new GovernanceException(Rule.NOT_ELIGIBLE, "scope must be within bundle " + bundle
          + "'s " + b.scope() + "; not covered: " + scope.notWithin(b.scope()));
    }
    RiskTier tier = ctx.tiers.get(b.tier());
    if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(tier.maxLifetime()) > 0) {
      throw new GovernanceException(Rule.OUT_OF_BOUNDS, "lifetime must be within (0, tier "
          + tier.name() + "'s maxLifetime " + tier.maxLifetime() + "], was " + lifetime);
    }
    Duration left = Duration.between(now, b.endsAt());
    Duration cap = tier.hardCap().compareTo(left) < 0 ? tier.hardCap() : left;
    Grant grant = Activation.mint(ctx, access, PREFIX + b.name(), GrantRequest.builder()
        .subject(member).owner(b.owner()).task(task).purpose(purpose).scope(scope), b.tier(),
        RequestContext.builder(), lifetime.compareTo(cap) < 0 ? lifetime : cap, cap);
    try {
      store.recordGrant(bundle, member, grant.id());
    } catch (RuntimeException e) {
      access.revoke(grant.id(), RevocationReason.MANUAL);
      throw e;
    }
    // An end or removal that raced this call has revoked what it could see: see again.
    Bundle after = load(bundle);
    if (!after.isOpenAt(ctx.clock.instant()) || !store.isMember(bundle, member)) {
      access.revoke(grant.id(), RevocationReason.of(
          after.state() == BundleState.REVOKED ? BUNDLE_REVOKED
              : after.state() == BundleState.ACTIVE && !store.isMember(bundle, member)
                  ? MEMBER_REMOVED : BUNDLE_ENDED));
      throw new GovernanceException(Rule.OUTSIDE_WINDOW,
          "bundle " + bundle + " ended or dropped " + member + " during activation");
    }
    ctx.record(event(AuditEventType.ACTIVATED, b, member).grantId(grant.id()).subject(member)
        .task(task).expiresAt(grant.expiresAt()).build());
    return grant;
  }

  @Override
  public Bundle end(String bundle, String actor, boolean revoke) {
    Names.check(actor, "actor");
    Bundle b = load(bundle);
    if (b.state() != BundleState.ACTIVE) {
      return b;
    }
    return close(b, "ended by " + actor,
        RevocationReason.of(revoke ? BUNDLE_REVOKED : BUNDLE_ENDED),
        revoke ? BundleState.REVOKED : BundleState.ENDED);
  }

  /**
   * Ends every grant from {@code b}, moves it to {@code next}, and ends them again (catching any
   * minted in between); audits once, on the replica whose compare-and-set won.
   */
  private Bundle close(Bundle b, String why, RevocationReason reason, BundleState next) {
    revokeAll(b, reason);
    Bundle ended = b.end(next, ctx.clock.instant());
    Bundle result;
    if (store.compareAndSet(b, ended)) {
      ctx.record(event(AuditEventType.BUNDLE_ENDED, ended, "governance").reason(reason.code())
          .detail(why).build());
      Scheduler.Cancellable timer = timers.remove(b.name());
      if (timer != null) {
        timer.cancel();
      }
      result = ended;
    } else {
      result = load(b.name());
    }
    revokeAll(b, reason);
    return result;
  }

  private void revokeAll(Bundle b, RevocationReason reason) {
    for (String grantId : store.grantsOf(b.name(), null)) {
      access.revoke(grantId, reason);
    }
  }

  /** Ends the bundle and every grant from it for {@code reason}, as its owner could. */
  Bundle revoke(String bundle, String why, RevocationReason reason) {
    Bundle b = load(bundle);
    return b.state() != BundleState.ACTIVE ? b
        : close(b, why, reason, BundleState.REVOKED);
  }

  void schedule(Bundle b) {
    if (b.state() != BundleState.ACTIVE) {
      return;
    }
    Duration delay = Duration.between(ctx.clock.instant(), b.endsAt());
    try {
      timers.put(b.name(), ctx.scheduler.schedule(() -> sweepQuietly(),
          delay.isNegative() ? Duration.ZERO : delay));
    } catch (RuntimeException e) {
      LOG.atWarn().setCause(e).addKeyValue("bundle", b.name())
          .log("could not arm the bundle's end timer; sweep() will end it");
    }
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.atError().setCause(e).log("bundle sweep failed; the next sweep retries");
    }
  }

  /** Ends every ACTIVE bundle whose window has closed; returns how many it ended. */
  int sweep() {
    int ended = 0;
    Instant now = ctx.clock.instant();
    for (Bundle b : store.bundles()) {
      if (b.state() == BundleState.ACTIVE && !now.isBefore(b.endsAt())) {
        close(b, "window closed", RevocationReason.of(BUNDLE_ENDED), BundleState.ENDED);
        ended++;
      }
    }
    return ended;
  }

  @Override
  public Optional<Bundle> find(String bundle) {
    return Optional.ofNullable(store.get(bundle));
  }

  @Override
  public long memberCount(String bundle) {
    return store.memberCount(bundle);
  }

  void close() {
    timers.values().forEach(Scheduler.Cancellable::cancel);
    timers.clear();
  }
}
