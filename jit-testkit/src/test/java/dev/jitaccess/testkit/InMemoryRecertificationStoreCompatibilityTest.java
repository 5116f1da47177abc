package dev.jitaccess.testkit;

import dev.jitaccess.governance.InMemoryRecertificationStore;
import dev.jitaccess.governance.spi.RecertificationStore;

/** The kit against the reference store it was written for. */
class InMemoryRecertificationStoreCompatibilityTest extends RecertificationStoreCompatibilityKit {
  @Override
  public RecertificationStore createStore() {
    return new InMemoryRecertificationStore();
  }
}
