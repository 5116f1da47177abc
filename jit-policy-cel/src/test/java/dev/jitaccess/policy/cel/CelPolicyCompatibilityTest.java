package dev.jitaccess.policy.cel;

import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.testkit.AccessPolicyCompatibilityKit;
import dev.jitaccess.testkit.time.FakeClock;

/** The kit's checks of any AccessPolicy, on the property test's policy of ten rules. */
class CelPolicyCompatibilityTest extends AccessPolicyCompatibilityKit {
  @Override
  public AccessPolicy createPolicy(FakeClock clock) {
    return CelPolicyModelPropertyTest.celPolicy().clock(clock).build();
  }
}
