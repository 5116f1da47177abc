package dev.jitaccess.testkit;

import dev.jitaccess.core.DecisionCache;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;

/** The runtime's own decision cache passes the kit. */
class RuntimeDecisionCacheCompatibilityTest extends DecisionCacheCompatibilityKit {
  @Override
  public DecisionCache createCache(JitAccess jit, FakeClock clock) {
    return jit.decisionCache(1_000);
  }
}
