package dev.jitaccess.testkit;

import dev.jitaccess.governance.InMemoryBundleStore;
import dev.jitaccess.governance.spi.BundleStore;

/** The kit against the reference store it was written for. */
class InMemoryBundleStoreCompatibilityTest extends BundleStoreCompatibilityKit {
  @Override
  public BundleStore createStore() {
    return new InMemoryBundleStore();
  }
}
