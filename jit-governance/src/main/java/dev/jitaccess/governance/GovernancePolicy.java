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
      Object nonce = request.context().attributes().get(Context.PERMIT);
      Context.Permit permit = nonce instanceof String ? ctx.minting.get(nonce) : null;
      if (permit == null) {
        return PolicyDecision.deny("NOT_REQUESTED",
            "grants are minted by activating an approved access request or a bundle");
      }
      if (!permit.subject().equals(request.subject()) || !permit.scope().equals(request.scope())
          || !permit.tier().equals(request.context().tier().orElse(null))
          || !permit.requestId().equals(request.context().requestId().orElse(null))) {
        return PolicyDecision.deny("NOT_REQUESTED",
            "the grant asked for differs from what governance is minting");
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
    if (requestId.startsWith(DefaultBundles.PREFIX)) {
      return renewFromBundle(grant, extension, requestId.substring(DefaultBundles.PREFIX.length()));
    }
    AccessRequest r = ctx.store.get(requestId);
    if (r == null) {
      return PolicyDecision.deny("UNKNOWN_REQUEST", "access request " + requestId + " is gone");
    }
    if (r.breakGlass()) {
      return PolicyDecision.deny("RENEWAL_NOT_ALLOWED", "break-glass grants do not renew");
    }
    if (ctx.recertifications.isSuspended(Stewardship.REQUEST + r.id())) {
      return PolicyDecision.deny("RECERTIFICATION_LAPSED",
          "renewal is suspended until the owner recertifies access request " + r.id());
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
    return ctx.policy == null ? mine : both(mine, ctx.policy.onRenewal(grant, extension));
  }

  /** A grant from a bundle renews while the bundle is open, its subject a member, its tier renewable. */
  private PolicyDecision renewFromBundle(Grant grant, Duration extension, String name) {
    Bundle b = ctx.bundles.get(name);
    if (b == null || !b.isOpenAt(ctx.clock.instant())) {
      return PolicyDecision.deny("OUTSIDE_WINDOW", "bundle " + name + " is not open");
    }
    if (ctx.recertifications.isSuspended(DefaultBundles.PREFIX + name)) {
      return PolicyDecision.deny("RECERTIFICATION_LAPSED",
          "bundle " + name + " is suspended until its owner recertifies it");
    }
    if (!ctx.bundles.isMember(name, grant.subject())) {
      return PolicyDecision.deny("NOT_MEMBER", grant.subject() + " left bundle " + name);
    }
    RiskTier tier;
    try {
      tier = ctx.tiers.get(b.tier());
    } catch (GovernanceException refused) {
      return PolicyDecision.deny(refused.rule().name(), refused.getMessage());
    }
    if (!tier.renewable()) {
      return PolicyDecision.deny("RENEWAL_NOT_ALLOWED", "tier " + tier.name() + " does not renew");
    }
    PolicyDecision mine = extension.compareTo(tier.maxLifetime()) > 0
        ? PolicyDecision.approveNarrowed(null, tier.maxLifetime()) : PolicyDecision.approve();
    return ctx.policy == null ? mine : both(mine, ctx.policy.onRenewal(grant, extension));
  }

  private static PolicyDecision both(PolicyDecision mine, PolicyDecision theirs) {
    Duration m = mine.narrowedDuration();
    if (!theirs.isApproved() || m == null) {
      return theirs;
    }
    Duration d = theirs.narrowedDuration();
    return PolicyDecision.approveNarrowed(theirs.narrowedScope(),
        d != null && d.compareTo(m) < 0 ? d : m);
  }

  private Predicate<String> taskAlive() {
    Predicate<String> p = ctx.taskAlive;
    return p != null ? p : task -> !ctx.access().isTaskEnded(task);
  }
}
