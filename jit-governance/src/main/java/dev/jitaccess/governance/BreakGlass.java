package dev.jitaccess.governance;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.GovernanceException.Rule;
import dev.jitaccess.governance.spi.BreakGlassLock;
import dev.jitaccess.governance.spi.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Emergency access: taken at once, announced loudly, reviewed or revoked. */
final class BreakGlass {
  /** The reason a break-glass grant is revoked when its review rejects it. */
  static final RevocationReason REJECTED = RevocationReason.of("BREAK_GLASS_REJECTED");

  private final Context ctx;
  private final JitAccess access;
  private final Deadlines deadlines;
  private final Activation minter;

  BreakGlass(Context ctx, JitAccess access, Deadlines deadlines) {
    this.ctx = ctx;
    this.access = access;
    this.deadlines = deadlines;
    this.minter = new Activation(ctx, access, deadlines);
  }

  Grant take(RequestSpec spec) {
    Objects.requireNonNull(spec, "spec must not be null");
    Instant now = ctx.clock.instant();
    RiskTier tier = ctx.tiers.get(spec.tier());
    if (!tier.breakGlass()) {
      throw new GovernanceException(Rule.BREAK_GLASS_FORBIDDEN,
          "tier " + tier.name() + " does not allow break-glass");
    }
    ctx.requireOwner(spec.owner());
    Optional<BreakGlassLock> lock = ctx.store.lockOf(spec.subject());
    if (lock.isPresent()) {
      throw new GovernanceException(Rule.BREAK_GLASS_LOCKED, spec.subject()
          + "'s break-glass is locked since " + lock.get().lockedAt()
          + " after a missed review, until " + lock.get().owner() + " unlocks it");
    }
    String issuer = spec.identity() == null ? null : spec.identity().issuer();
    EligibilityRule rule = ctx.rules.find(ctx.directory, spec.requester(), issuer,
        spec.subject(), spec.scope(), tier.name());
    Duration cap = tier.breakGlassCap();
    Duration lifetime = spec.lifetime().compareTo(cap) > 0 ? cap : spec.lifetime();
    AccessRequestBuilder b = AccessRequest.builder().id(Context.newId())
        .requester(spec.requester()).issuer(issuer).subject(spec.subject()).owner(spec.owner())
        .task(spec.task()).purpose(spec.purpose()).scope(spec.scope()).lifetime(lifetime)
        .tier(tier.name()).rule(rule.name()).justification(spec.justification())
        .ticket(spec.ticket()).createdAt(now).expiresAt(now);
    Grant grant = minter.mint(b.build(), lifetime, cap);
    AccessRequest r = b.state(RequestState.ACTIVE).grantId(grant.id()).breakGlass(true)
        .reviewDue(now.plus(ctx.reviewDeadline)).closedAt(now).build();
    try {
      ctx.store.insert(r);
    } catch (RuntimeException e) {
      access.revoke(grant.id(), RevocationReason.MANUAL);
      throw e;
    }
    ctx.record(ctx.event(AuditEventType.BREAK_GLASS, r, spec.requester()).grantId(grant.id())
        .expiresAt(grant.expiresAt()).reason("EMERGENCY")
        .detail("review due by " + r.reviewDue()).build());
    ctx.notify(new Notification(Notification.Kind.BREAK_GLASS,
        ctx.approversAndOwner(rule, r.owner()), r.id(), r.subject(), r.tier(),
        spec.requester() + " took break-glass access " + r.scope() + " for " + r.subject()
            + ": " + r.justification(), r.reviewDue()));
    deadlines.schedule(r);
    return grant;
  }

  AccessRequest review(String requestId, String reviewer, Review.Verdict verdict, String note) {
    Names.check(reviewer, "reviewer");
    Objects.requireNonNull(verdict, "verdict must not be null");
    if (verdict == Review.Verdict.MISSED) {
      throw new IllegalArgumentException("verdict must be CONFIRMED or REJECTED, was MISSED");
    }
    String words;
    try {
      words = Names.text(note, "note");
    } catch (IllegalArgumentException | NullPointerException missing) {
      throw new GovernanceException(Rule.REASON_REQUIRED, missing.getMessage());
    }
    while (true) {
      AccessRequest r = deadlines.current(ctx.load(requestId));
      if (!r.breakGlass() || r.review() != null) {
        throw new GovernanceException(Rule.NOT_REVIEWABLE, "request " + r.id()
            + (r.breakGlass() ? " was reviewed already (" + r.review().verdict() + ")"
                : " is not break-glass"));
      }
      if (reviewer.equals(r.requester()) || reviewer.equals(r.subject())) {
        throw new GovernanceException(Rule.SELF_APPROVAL,
            reviewer + " cannot review their own break-glass " + r.id());
      }
      EligibilityRule rule = ctx.rules.get(r.rule()).orElse(null);
      if (rule == null
          || !EligibilityRules.matches(rule.approvers(), ctx.directory, reviewer, null)) {
        throw new GovernanceException(Rule.APPROVER_NOT_ALLOWED, reviewer
            + " is not one of rule " + r.rule() + "'s approvers");
      }
      Instant now = ctx.clock.instant();
      String grantId = r.grantId();
      if (verdict == Review.Verdict.REJECTED && grantId != null) {
        access.revoke(grantId, REJECTED);
      }
      AccessRequest next = r.toBuilder().review(new Review(reviewer, verdict, words, now))
          .version(r.version() + 1).build();
      if (ctx.store.compareAndSet(r, next)) {
        ctx.record(ctx.event(AuditEventType.REVIEWED, next, reviewer).grantId(grantId)
            .reason(verdict.name()).detail(words).build());
        return next;
      }
    }
  }

  boolean unlock(String subject, String owner) {
    Names.check(subject, "subject");
    Names.check(owner, "owner");
    Optional<BreakGlassLock> found = ctx.store.lockOf(subject);
    if (found.isEmpty()) {
      return false;
    }
    BreakGlassLock lock = found.get();
    if (owner.equals(subject)) {
      throw new GovernanceException(Rule.SELF_APPROVAL,
          owner + " cannot unlock their own break-glass");
    }
    if (!owner.equals(lock.owner()) && !ctx.directory.groupsOf(owner).contains(lock.owner())) {
      throw new GovernanceException(Rule.NOT_OWNER, owner + " is neither " + lock.owner()
          + " nor a member of it, and cannot unlock " + subject + "'s break-glass");
    }
    if (!ctx.store.unlock(lock)) {
      return false;
    }
    ctx.record(AuditEvent.builder(AuditEventType.BREAK_GLASS_UNLOCKED, ctx.clock.instant())
        .subject(subject).owner(lock.owner()).requestId(lock.requestId()).actor(owner).build());
    return true;
  }
}
