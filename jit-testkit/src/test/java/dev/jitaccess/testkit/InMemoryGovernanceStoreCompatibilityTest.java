package dev.jitaccess.testkit;

import dev.jitaccess.governance.InMemoryGovernanceStore;
import dev.jitaccess.governance.spi.GovernanceStore;

/** The kit against the reference store it was written for. */
class InMemoryGovernanceStoreCompatibilityTest extends GovernanceStoreCompatibilityKit {
  @Override
  public GovernanceStore createStore() {
    return new InMemoryGovernanceStore();
  }
}
