package dev.jitaccess.core;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.GrantStatus;
import dev.jitaccess.Permission;
import dev.jitaccess.RequestContext;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.UnknownGrantException;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mints a child of a usable grant for a sub-task: within the parent's scope, expiry and (if the
 * parent has one) use budget, no deeper than the limit. Uses moved out of the parent's budget go
 * back if the delegation fails after moving them.
 */
final class Delegator {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);

  private final Clock clock;
  private final Grants grants;
  private final Lineage lineage;
  private final Policies policies;
  private final Minter minter;
  private final Revoker revoker;
  private final int maxDepth;

  Delegator(Clock clock, Grants grants, Lineage lineage, Policies policies, Minter minter,
      Revoker revoker, int maxDepth) {
    this.clock = clock;
    this.grants = grants;
    this.lineage = lineage;
    this.policies = policies;
    this.minter = minter;
    this.revoker = revoker;
    this.maxDepth = maxDepth;
  }

  Grant delegate(String parentId, DelegationRequest request) {
    policies.checkLimits(request.ttl().lifetime(), request.ttl().hardCap(), "ttl");
    Grant parent = grants.get(parentId);
    if (parent == null) {
      throw new UnknownGrantException("parentId", parentId);
    }
    Instant now = clock.instant();
    GrantStatus status = lineage.status(parent, now);
    requireUsable(status, "delegate");
    int depth = status.ancestors().size() + 1;
    if (depth > maxDepth) {
      throw new IllegalArgumentException("delegation depth must be <= maxDelegationDepth "
          + maxDepth + ", would be " + depth);
    }
    List<Permission> wider = request.scope().notWithin(parent.scope());
    if (!wider.isEmpty()) {
      throw new IllegalArgumentException(
          "scope must be within the parent's scope; not covered: " + wider);
    }
    GrantRequest.Builder child = GrantRequest.builder()
        .subject(request.subject())
        .owner(parent.owner())
        .task(request.task() == null ? parent.task() : request.task())
        .purpose(request.purpose() == null ? parent.purpose() : request.purpose())
        .scope(request.scope())
        .ttl(request.ttl())
        .context(inheritOrigin(request.context(), parent));
    Instant asked = Times.plus(now, request.ttl().lifetime(), "ttl.lifetime");
    if (asked.isAfter(parent.expiresAt())) {
      throw new IllegalArgumentException("ttl.lifetime must end no later than the parent, which "
          + "expires at " + parent.expiresAt() + "; the child would expire at " + asked);
    }
    if (parent.hasUseBudget()) {
      long remaining = parent.usesRemaining().getAsLong();
      if (request.useBudget().isEmpty() || request.useBudget().getAsLong() >= remaining) {
        throw new IllegalArgumentException("useBudget must be set and < the parent's remaining "
            + remaining + " uses, because the parent has a use budget; was "
            + (request.useBudget().isEmpty() ? "unlimited" : request.useBudget().getAsLong()));
      }
    }
    if (request.useBudget().isPresent()) {
      child.useBudget(request.useBudget().getAsLong());
    }
    GrantRequest childRequest = child.build();
    minter.refuseIfTaskEnded(childRequest, parent);
    PolicyDecision decision = policies.approve(childRequest, parent);
    Scope scope = policies.narrowedScope(request.scope(), decision, childRequest, parent);
    Duration lifetime =
        policies.narrowedLifetime(request.ttl().lifetime(), decision, childRequest, parent);
    long moved = 0;
    if (childRequest.useBudget().isPresent() && parent.hasUseBudget()) {
      moved = childRequest.useBudget().getAsLong();
      parent = moveUses(parent, moved, now);
    }
    Grant issued;
    try {
      Instant expiresAt = Times.plus(now, lifetime, "ttl.lifetime");
      Duration cap = request.ttl().hardCap() == null ? policies.maxHardCap : request.ttl().hardCap();
      Instant notAfter = Times.max(expiresAt,
          Times.min(Times.saturatedPlus(now, cap), parent.notAfter()));
      issued = minter.issue(GrantIds.next(), childRequest, scope, now, expiresAt, notAfter,
          parent.id());
    } catch (Throwable e) {
      if (moved > 0) {
        returnUses(parent.id(), moved, e); // nothing was stored
      }
      throw e;
    }
    long uses = moved;
    String parentKey = parent.id();
    Grant published = minter.publish(issued, childRequest, parent, AuditEventType.DELEGATED,
        uses == 0 ? null : () -> returnUses(parentKey, uses, null));
    // A revocation of an ancestor that raced this delegation may have missed the new child.
    Grant parentNow = grants.get(parentId);
    GrantStatus after = parentNow == null ? GrantStatus.unknown()
        : lineage.status(parentNow, clock.instant());
    if (!after.isUsable()) {
      revoker.revoke(published.id(), RevocationReason.PARENT_REVOKED);
      throw new GrantStateException(after.state().orElse(GrantState.REVOKED),
          "parent grant " + dev.jitaccess.GrantReference.of(parentId)
              + " ended during the delegation");
    }
    return published;
  }

  /** Throws the state that explains why a grant (or an ancestor) is not usable. */
  static void requireUsable(GrantStatus status, String operation) {
    if (status.isUsable()) {
      return;
    }
    Grant grant = status.grant().orElseThrow();
    GrantState state = status.state().orElse(GrantState.REVOKED);
    if (status.ancestors().isEmpty() && !grant.isActive()) {
      throw new GrantStateException(grant.id(), grant.state(), operation);
    }
    throw new GrantStateException(state, "grant " + grant.reference() + " must be ACTIVE, with "
        + "every ancestor, to " + operation + "; " + status.denial().orElseThrow()
        + status.detail().map(d -> ": " + d).orElse(""));
  }

  /**
   * Gives back {@code uses} (> 0) that a delegation moved out of its parent's budget and then
   * failed to hand to a child. A parent that has ended keeps them: they no longer decide anything.
   * A store failure here is added to {@code failure} (or logged, without one).
   */
  private void returnUses(String parentId, long uses,
      @org.jspecify.annotations.Nullable Throwable failure) {
    try {
      grants.apply(parentId, current -> current.isActive()
          ? current.withUsesConsumed(Math.max(0, current.usesConsumed() - uses))
          : null);
    } catch (Throwable e) {
      if (failure != null) {
        Minter.suppress(failure, e);
      }
      LOG.error("Could not give {} uses back to grant {} after a failed delegation", uses,
          dev.jitaccess.GrantReference.of(parentId), e);
    }
  }

  /** Moves {@code uses} out of the parent's budget; the parent keeps at least one use. */
  private Grant moveUses(Grant parent, long uses, Instant now) {
    Grants.Outcome outcome = grants.applyFrom(parent.id(), parent, current -> {
      requireUsable(lineage.status(current, now), "delegate");
      long remaining = current.usesRemaining().getAsLong();
      if (uses >= remaining) {
        throw new IllegalArgumentException("useBudget must be < the parent's remaining "
            + remaining + " uses, was " + uses);
      }
      return current.withUsesConsumed(current.usesConsumed() + uses);
    });
    if (outcome.after == null) {
      throw new UnknownGrantException("parentId", parent.id());
    }
    return outcome.after;
  }

  /**
   * The delegation's context with the parent's tier and access request: a child keeps where its
   * parent came from, and cannot claim another origin.
   *
   * @throws IllegalArgumentException naming the field, if the context names a different tier or
   *     request than the parent's
   */
  static RequestContext inheritOrigin(RequestContext context, Grant parent) {
    String tier = parent.tier();
    String requestId = parent.requestId();
    sameOrigin("context.tier", context.tier().orElse(null), tier);
    sameOrigin("context.requestId", context.requestId().orElse(null), requestId);
    if ((tier == null || context.tier().isPresent())
        && (requestId == null || context.requestId().isPresent())) {
      return context;
    }
    RequestContext.Builder b = context.toBuilder();
    if (tier != null) {
      b.tier(tier);
    }
    if (requestId != null) {
      b.requestId(requestId);
    }
    return b.build();
  }

  private static void sameOrigin(String field, @Nullable String asked, @Nullable String parents) {
    if (asked != null && !asked.equals(parents)) {
      throw new IllegalArgumentException(field + " must be absent or the parent's"
          + (parents == null ? " (the parent has none)" : ", " + parents) + ", was " + asked);
    }
  }
}
