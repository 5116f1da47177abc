package dev.jitaccess.spi;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Decides, at request time and at renewal time, whether a grant may be minted or extended: policy
 * as code. The runtime's limits (maximum lifetime, maximum hard cap, delegation rules) apply
 * whatever the policy says; a policy can only narrow.
 *
 * <p>Decisions should be deterministic for the same input. An exception thrown here is a denial
 * (fail closed), recorded with its cause. Implementations must be thread-safe.
 */
public interface AccessPolicy {
  /**
   * Decides a request for a new grant.
   *
   * @param request what is asked for
   * @param parent the grant it is delegated from, or null for a top-level request
   */
  PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent);

  /**
   * Decides a renewal of an ACTIVE grant.
   *
   * @param grant the grant as it is now
   * @param extension the asked-for new lifetime, counted from now
   */
  PolicyDecision onRenewal(Grant grant, Duration extension);

  /** A policy that approves everything within the runtime's limits. */
  static AccessPolicy approveWithinLimits() {
    return new AccessPolicy() {
      @Override
      public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
        return PolicyDecision.approve();
      }

      @Override
      public PolicyDecision onRenewal(Grant grant, Duration extension) {
        return PolicyDecision.approve();
      }

      @Override
      public String toString() {
        return "AccessPolicy.approveWithinLimits()";
      }
    };
  }
}
