package dev.jitaccess.governance;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Duration;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The runtime's policy under governance: a top-level grant is minted only for the request this
 * governance is activating at that moment, with its subject, scope and tier; a renewal only where
 * the grant's tier renews, its task is alive if the tier asks, and its request is still eligible.
 * Then the application's own policy, if any, decides too.
 */
final class GovernancePolicy implements AccessPolicy {
  private final Context ctx;

  GovernancePolicy(Context ctx) {
    this.ctx = ctx;
  }

  @Override
  public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
    if (parent == null) {
      String id = request.context().requestId().orElse(null);
      AccessRequest r = id == null ? null : ctx.minting.get(id);
      if (r == null) {
        return PolicyDecision.deny("NOT_REQUESTED",
            "grants are minted by activating an approved access request");
      }
      if (!r.subject().equals(request.subject()) || !r.scope().equals(request.scope())
          || !r.tier().equals(request.context().tier().orElse(null))) {
        return PolicyDecision.deny("NOT_REQUESTED",
            "the grant asked for differs from access request " + r.id());
      }
    }
    return ctx.policy == null ? PolicyDecision.approve() : ctx.policy.onRequest(request, parent);
  }

  @Override
  public PolicyDecision onRenewal(Grant grant, Duration extension) {
    String requestId = grant.requestId();
    String tierName = grant.tier();
    if (requestId == null || tierName == null) {
      return PolicyDecision.deny("NOT_REQUESTED", "the grant was not minted for an access request");
    }
    AccessRequest r = ctx.store.get(requestId);
    if (r == null) {
      return PolicyDecision.deny("UNKNOWN_REQUEST", "access request " + requestId + " is gone");
    }
    if (r.breakGlass()) {
      return PolicyDecision.deny("RENEWAL_NOT_ALLOWED", "break-glass grants do not renew");
    }
    RiskTier tier;
    try {
      tier = ctx.tiers.get(tierName);
      ctx.rules.recheck(ctx.directory, r);
    } catch (GovernanceException refused) {
      return PolicyDecision.deny(refused.rule().name(), refused.getMessage());
    }
    if (!tier.renewable()) {
      return PolicyDecision.deny("RENEWAL_NOT_ALLOWED", "tier " + tier.name() + " does not renew");
    }
    if (tier.renewOnlyWhileTaskAlive() && !taskAlive().test(grant.task())) {
      return PolicyDecision.deny("TASK_NOT_ALIVE",
          "tier " + tier.name() + " renews only while the grant's task is alive");
    }
    PolicyDecision mine = extension.compareTo(tier.maxLifetime()) > 0
        ? PolicyDecision.approveNarrowed(null, tier.maxLifetime()) : PolicyDecision.approve();
    if (ctx.policy == null) {
      return mine;
    }
    PolicyDecision theirs = ctx.policy.onRenewal(grant, extension);
    if (!theirs.isApproved() || mine.narrowedDuration() == null) {
      return theirs;
    }
    Duration d = theirs.narrowedDuration();
    return PolicyDecision.approveNarrowed(theirs.narrowedScope(),
        d != null && d.compareTo(tier.maxLifetime()) < 0 ? d : tier.maxLifetime());
  }

  private Predicate<String> taskAlive() {
    Predicate<String> p = ctx.taskAlive;
    return p != null ? p : task -> !ctx.access().isTaskEnded(task);
  }
}
