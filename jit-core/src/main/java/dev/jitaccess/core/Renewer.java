package dev.jitaccess.core;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantStatus;
import dev.jitaccess.UnknownGrantException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Extends a usable grant, if the policy approves: to the extension from now, never past its
 * {@code notAfter} nor its parent's expiry, never shorter than it is.
 */
final class Renewer {
  private final Clock clock;
  private final Grants grants;
  private final Lineage lineage;
  private final Policies policies;
  private final Reporter reporter;

  Renewer(Clock clock, Grants grants, Lineage lineage, Policies policies, Reporter reporter) {
    this.clock = clock;
    this.grants = grants;
    this.lineage = lineage;
    this.policies = policies;
    this.reporter = reporter;
  }

  Grant renew(String grantId, Duration extension) {
    if (extension.compareTo(policies.maxLifetime) > 0) {
      throw new IllegalArgumentException(
          "extension must be <= maxLifetime " + policies.maxLifetime + ", was " + extension);
    }
    Grant grant = grants.get(grantId);
    if (grant == null) {
      throw new UnknownGrantException("grantId", grantId);
    }
    Delegator.requireUsable(lineage.status(grant, clock.instant()), "renew");
    Duration granted = policies.approveRenewal(grant, extension);
    Grants.Outcome outcome = grants.apply(grantId, current -> {
      // The policy may have taken its time: decide on the clock as it reads now, so that a grant
      // that expired meanwhile (its timer not yet run) is not brought back, nor one whose
      // ancestor ended.
      Instant now = clock.instant();
      GrantStatus status = lineage.status(current, now);
      Delegator.requireUsable(status, "renew");
      Instant cap = current.notAfter();
      boolean parentCaps = false;
      if (!status.ancestors().isEmpty()) {
        Instant parentExpiry = status.ancestors().get(0).expiresAt();
        if (parentExpiry.isBefore(cap)) {
          cap = parentExpiry;
          parentCaps = true;
        }
      }
      Instant target = Times.saturatedPlus(now, granted);
      Instant newExpiry = Times.min(target, cap);
      if (!newExpiry.isAfter(current.expiresAt())) {
        if (target.isAfter(cap)) {
          throw policies.refuseRenewal(current, "HARD_CAP_REACHED", "grant cannot be renewed past "
              + (parentCaps ? "its parent's expiry " : "its notAfter ") + cap, null);
        }
        return null; // already valid for longer than asked: a renewal never shortens
      }
      return current.withExpiresAt(newExpiry);
    });
    if (outcome.after == null) {
      if (outcome.before == null) {
        throw new UnknownGrantException("grantId", grantId);
      }
      return outcome.before;
    }
    reporter.renewed(outcome.after);
    return outcome.after;
  }
}
