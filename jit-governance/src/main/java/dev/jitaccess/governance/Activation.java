package dev.jitaccess.governance;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.GovernanceException.Rule;
import java.time.Duration;
import java.time.Instant;

/** Turns an APPROVED request into a grant, once. */
final class Activation {
  /** The reason a grant is revoked when another activation of its request won. */
  static final RevocationReason LOST = RevocationReason.of("ACTIVATION_LOST");

  private final Context ctx;
  private final JitAccess access;
  private final Deadlines deadlines;

  Activation(Context ctx, JitAccess access, Deadlines deadlines) {
    this.ctx = ctx;
    this.access = access;
    this.deadlines = deadlines;
  }

  Grant activate(String requestId, String requester) {
    AccessRequest r = deadlines.current(ctx.load(requestId));
    if (!r.requester().equals(requester)) {
      throw new GovernanceException(Rule.NOT_REQUESTER,
          requester + " did not make request " + r.id() + " and cannot activate it");
    }
    if (r.state() == RequestState.EXPIRED && r.activateBy() != null) {
      throw new GovernanceException(Rule.APPROVAL_EXPIRED, "request " + r.id()
          + " was approved but not activated by " + r.activateBy());
    }
    if (r.state() != RequestState.APPROVED) {
      throw new RequestStateException(r.id(), r.state(), "activate");
    }
    Instant now = ctx.clock.instant();
    Instant start = r.startAt();
    if (start != null && now.isBefore(start)) {
      throw new GovernanceException(Rule.NOT_YET_STARTED,
          "request " + r.id() + " may be activated from " + start);
    }
    ctx.rules.recheck(ctx.directory, r);
    RiskTier tier = ctx.tiers.get(r.tier());
    Grant grant = mint(r, r.lifetime(), tier.hardCap());
    AccessRequest next = r.toBuilder().state(RequestState.ACTIVE).grantId(grant.id())
        .closedAt(now).version(r.version() + 1).build();
    if (!ctx.store.compareAndSet(r, next)) {
      access.revoke(grant.id(), LOST);
      AccessRequest stored = ctx.load(requestId);
      throw new RequestStateException(r.id(), stored.state(), "activate");
    }
    ctx.record(ctx.event(AuditEventType.ACTIVATED, next, requester).grantId(grant.id())
        .expiresAt(grant.expiresAt()).build());
    return grant;
  }

  /**
   * Mints the grant of {@code r} through the runtime: the governance policy lets it through only
   * while {@code r} is registered as being minted, by this call.
   */
  Grant mint(AccessRequest r, Duration lifetime, Duration hardCap) {
    RequestContext.Builder context = RequestContext.builder().justification(r.justification());
    if (r.ticket() != null) {
      context.ticket(r.ticket());
    }
    return mint(ctx, access, r.id(), GrantRequest.builder().subject(r.subject()).owner(r.owner())
        .task(r.task()).purpose(r.purpose()).scope(r.scope()), r.tier(), context, lifetime,
        hardCap);
  }

  /**
   * Mints through the runtime with a one-time permit for exactly this subject, scope and tier,
   * which the governance policy checks and which is gone when this returns.
   */
  static Grant mint(Context ctx, JitAccess access, String requestId, GrantRequest.Builder request,
      String tier, RequestContext.Builder context, Duration lifetime, Duration hardCap) {
    String nonce = Context.newId();
    GrantRequest built = request
        .ttl(Ttl.of(lifetime, hardCap.compareTo(lifetime) < 0 ? lifetime : hardCap))
        .context(context.tier(tier).requestId(requestId).attribute(Context.PERMIT, nonce).build())
        .build();
    ctx.minting.put(nonce, new Context.Permit(requestId, built.subject(), built.scope(), tier));
    try {
      return access.request(built);
    } finally {
      ctx.minting.remove(nonce);
    }
  }
}
