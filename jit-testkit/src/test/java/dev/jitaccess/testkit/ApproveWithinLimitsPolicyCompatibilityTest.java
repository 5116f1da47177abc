package dev.jitaccess.testkit;

import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.testkit.time.FakeClock;

class ApproveWithinLimitsPolicyCompatibilityTest extends AccessPolicyCompatibilityKit {
  @Override
  public AccessPolicy createPolicy(FakeClock clock) {
    return AccessPolicy.approveWithinLimits();
  }
}
