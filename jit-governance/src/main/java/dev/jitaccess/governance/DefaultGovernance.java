package dev.jitaccess.governance;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.GovernanceException.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The {@link Governance}: requests and decisions here, the rest in its parts. */
final class DefaultGovernance implements Governance {
  private final Context ctx;
  private final JitAccess access;
  private final Deadlines deadlines;
  private final Activation activation;
  private final BreakGlass breakGlass;
  private final DefaultBundles bundles;
  private final Stewardship stewardship;
  private volatile dev.jitaccess.spi.Scheduler.@org.jspecify.annotations.Nullable Cancellable
      stewardTimer;
  private volatile boolean closed;
  private final Oversight oversight; // expiry warnings and exposure reports

  DefaultGovernance(Context ctx) {
    this.ctx = ctx;
    Duration longest = Duration.ZERO;
    Duration widest = Duration.ZERO;
    for (RiskTier t : ctx.tiers.all()) {
      longest = max(longest, t.maxLifetime());
      widest = max(widest, max(t.hardCap(), t.breakGlassCap()));
    }
    ctx.runtimeBuilder.listener((grant, reason) -> tellOwner(ctx, grant, reason));
    this.oversight = new Oversight(ctx);
    this.access = ctx.runtimeBuilder.store(ctx.grants).clock(ctx.clock).scheduler(ctx.scheduler)
        .auditSink(oversight.tap(ctx.audit)).maxLifetime(longest).maxHardCap(widest)
        .policy(new GovernancePolicy(ctx)).build();
    ctx.attach(access);
    this.deadlines = new Deadlines(ctx, access);
    this.activation = new Activation(ctx, access, deadlines);
    this.breakGlass = new BreakGlass(ctx, access, deadlines);
    this.bundles = new DefaultBundles(ctx, access);
    this.stewardship = new Stewardship(ctx, access, bundles);
    armStewardship();
    oversight.start();
  }

  /** Tells a grant's owner it was revoked (not when it expired or was used up). */
  private static void tellOwner(Context ctx, Grant grant, dev.jitaccess.RevocationReason reason) {
    if (reason.equals(dev.jitaccess.RevocationReason.EXPIRED)
        || reason.equals(dev.jitaccess.RevocationReason.EXHAUSTED) || grant.isDelegated()) {
      return;
    }
    String tier = grant.tier();
    String requestId = grant.requestId();
    ctx.notify(new dev.jitaccess.governance.spi.Notification(
        dev.jitaccess.governance.spi.Notification.Kind.REVOKED, Set.of(grant.owner()),
        requestId == null ? "none" : requestId, grant.subject(), tier == null ? "none" : tier,
        grant.subject() + "'s grant " + grant.reference() + " for task " + grant.task()
            + " was revoked: " + reason.code(), null));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  @Override
  public AccessRequest request(RequestSpec spec) {
    Objects.requireNonNull(spec, "spec must not be null");
    Instant now = ctx.clock.instant();
    RiskTier tier = ctx.tiers.get(spec.tier());
    ctx.requireOwner(spec.owner());
    if (spec.lifetime().compareTo(tier.maxLifetime()) > 0) {
      throw new GovernanceException(Rule.OUT_OF_BOUNDS, "lifetime must be at most tier "
          + tier.name() + "'s maxLifetime " + tier.maxLifetime() + ", was " + spec.lifetime());
    }
    Instant startAt = spec.startAt();
    if (startAt != null && (startAt.isBefore(now) || startAt.isAfter(now.plus(ctx.maxStartDelay)))) {
      throw new GovernanceException(Rule.OUT_OF_BOUNDS, "startAt must be within [now, now + "
          + ctx.maxStartDelay + "], was " + startAt);
    }
    String issuer = spec.identity() == null ? null : spec.identity().issuer();
    EligibilityRule rule = ctx.rules.find(ctx.directory, spec.requester(), issuer,
        spec.subject(), spec.scope(), tier.name());
    AccessRequest r = AccessRequest.builder().id(Context.newId()).requester(spec.requester())
        .issuer(issuer).subject(spec.subject()).owner(spec.owner()).task(spec.task())
        .purpose(spec.purpose()).scope(spec.scope()).lifetime(spec.lifetime()).tier(tier.name())
        .rule(rule.name()).justification(spec.justification()).ticket(spec.ticket())
        .startAt(startAt).createdAt(now).expiresAt(now.plus(ctx.requestTtl)).build();
    ctx.store.insert(r);
    ctx.record(ctx.event(AuditEventType.REQUESTED, r, spec.requester()).build());
    if (tier.approvals() == 0) {
      AccessRequest approved = r.toBuilder().state(RequestState.APPROVED)
          .activateBy(activateBy(r, now)).version(1).build();
      if (ctx.store.compareAndSet(r, approved)) {
        ctx.record(ctx.event(AuditEventType.APPROVED, approved, null)
            .detail("tier " + tier.name() + " needs no approval").build());
        r = approved;
      }
    }
    deadlines.schedule(r);
    return r;
  }

  private Instant activateBy(AccessRequest r, Instant now) {
    Instant start = r.startAt();
    return (start != null && start.isAfter(now) ? start : now).plus(ctx.activationWindow);
  }

  @Override
  public AccessRequest approve(String requestId, String approver) {
    Names.check(approver, "approver");
    while (true) {
      AccessRequest r = deadlines.current(ctx.load(requestId));
      EligibilityRule rule = decidable(r, approver, "approve");
      String team = null;
      if (rule.distinctTeams()) {
        Set<String> used = new HashSet<>();
        r.approvals().forEach(a -> used.add(a.team()));
        TreeSet<String> fresh = new TreeSet<>(ctx.directory.teamsOf(approver));
        fresh.removeAll(used);
        if (fresh.isEmpty()) {
          throw new GovernanceException(Rule.SAME_TEAM, approver + "'s teams "
              + ctx.directory.teamsOf(approver) + " have approved request " + r.id()
              + " already");
        }
        team = fresh.first();
      }
      Instant now = ctx.clock.instant();
      AccessRequestBuilder b = r.toBuilder().approval(new Approval(approver, team, now))
          .version(r.version() + 1);
      int needed = ctx.tiers.get(r.tier()).approvals();
      boolean done = r.approvals().size() + 1 >= needed;
      if (done) {
        b.state(RequestState.APPROVED).activateBy(activateBy(r, now));
      }
      AccessRequest next = b.build();
      if (ctx.store.compareAndSet(r, next)) {
        ctx.record(ctx.event(AuditEventType.APPROVED, next, approver)
            .detail((r.approvals().size() + 1) + " of " + needed + " approvals").build());
        deadlines.schedule(next);
        return next;
      }
    }
  }

  @Override
  public AccessRequest reject(String requestId, String approver, String reason) {
    Names.check(approver, "approver");
    String why;
    try {
      why = Names.text(reason, "reason");
    } catch (IllegalArgumentException | NullPointerException missing) {
      throw new GovernanceException(Rule.REASON_REQUIRED, missing.getMessage());
    }
    while (true) {
      AccessRequest r = deadlines.current(ctx.load(requestId));
      EligibilityRule rule = decidable(r, approver, "reject");
      Instant now = ctx.clock.instant();
      AccessRequestBuilder b = r.toBuilder().rejection(new Rejection(approver, why, now))
          .version(r.version() + 1);
      if (r.rejections().size() + 1 >= rule.rejections()) {
        b.state(RequestState.REJECTED).closedAt(now);
      }
      AccessRequest next = b.build();
      if (ctx.store.compareAndSet(r, next)) {
        ctx.record(ctx.event(AuditEventType.REJECTED, next, approver).reason("REJECTED")
            .detail(why).build());
        return next;
      }
    }
  }

  /** The rule under which {@code approver} may decide {@code r} now, or a refusal. */
  private EligibilityRule decidable(AccessRequest r, String approver, String operation) {
    if (r.state() != RequestState.PENDING) {
      throw new RequestStateException(r.id(), r.state(), operation);
    }
    if (approver.equals(r.requester()) || approver.equals(r.subject())) {
      throw new GovernanceException(Rule.SELF_APPROVAL, approver + " is the "
          + (approver.equals(r.requester()) ? "requester" : "subject") + " of request " + r.id()
          + " and cannot " + operation + " it");
    }
    EligibilityRule rule = ctx.rules.recheck(ctx.directory, r);
    if (!EligibilityRules.matches(rule.approvers(), ctx.directory, approver, null)) {
      throw new GovernanceException(Rule.APPROVER_NOT_ALLOWED, approver + " is not one of rule "
          + rule.name() + "'s approvers " + rule.approvers());
    }
    if (r.isDecidedBy(approver)) {
      throw new GovernanceException(Rule.ALREADY_DECIDED,
          approver + " has already decided request " + r.id());
    }
    return rule;
  }

  @Override
  public AccessRequest cancel(String requestId, String requester) {
    while (true) {
      AccessRequest r = deadlines.current(ctx.load(requestId));
      if (!r.requester().equals(requester)) {
        throw new GovernanceException(Rule.NOT_REQUESTER,
            requester + " did not make request " + r.id() + " and cannot cancel it");
      }
      AccessRequest next = r.moveTo(RequestState.CANCELLED, ctx.clock.instant());
      if (ctx.store.compareAndSet(r, next)) {
        ctx.record(ctx.event(AuditEventType.CANCELLED, next, requester).build());
        return next;
      }
    }
  }

  @Override
  public Grant activate(String requestId, String requester) {
    return activation.activate(requestId, requester);
  }

  @Override
  public Grant breakGlass(RequestSpec spec) {
    return breakGlass.take(spec);
  }

  @Override
  public AccessRequest review(String requestId, String reviewer, Review.Verdict verdict,
      String note) {
    return breakGlass.review(requestId, reviewer, verdict, note);
  }

  @Override
  public boolean unlockBreakGlass(String subject, String owner) {
    return breakGlass.unlock(subject, owner);
  }

  @Override
  public Optional<AccessRequest> find(String requestId) {
    return Optional.ofNullable(ctx.store.get(requestId));
  }

  @Override
  public List<AccessRequest> pending(int limit) {
    return ctx.store.pending(limit);
  }

  @Override
  public int sweep() {
    return deadlines.sweep() + bundles.sweep() + stewardship.sweep();
  }

  /** Runs the orphan and recertification sweep every {@code sweepEvery}, on the scheduler. */
  private void armStewardship() {
    if (closed) {
      return;
    }
    stewardTimer = ctx.scheduler.schedule(() -> {
      try {
        stewardship.sweep();
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Governance.class).atError().setCause(e)
            .log("orphan and recertification sweep failed; the next one retries");
      } finally {
        armStewardship();
      }
    }, ctx.sweepEvery);
  }

  @Override
  public Map<String, Instant> recertificationsDue() {
    return stewardship.due();
  }

  @Override
  public Certification recertify(String item, String reviewer, boolean keep, String note) {
    return stewardship.recertify(item, reviewer, keep, note);
  }

  @Override
  public Bundles bundles() {
    return bundles;
  }

  @Override
  public EligibilityRules rules() {
    return ctx.rules;
  }

  Context context() {
    return ctx;
  }

  @Override
  public ExposureReport exposure(ExposureQuery query) {
    return oversight.exposure(query);
  }

  @Override
  public JitAccess access() {
    return access;
  }

  @Override
  public void close() {
    closed = true;
    oversight.close();
    dev.jitaccess.spi.Scheduler.Cancellable timer = stewardTimer;
    if (timer != null) {
      timer.cancel();
    }
    deadlines.close();
    bundles.close();
    access.close();
  }
}
