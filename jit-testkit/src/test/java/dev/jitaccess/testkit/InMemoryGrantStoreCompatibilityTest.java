package dev.jitaccess.testkit;

import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;

class InMemoryGrantStoreCompatibilityTest extends GrantStoreCompatibilityKit {
  @Override
  public GrantStore createStore(FakeClock clock) {
    return InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
  }

  @Override
  protected Duration retention() {
    return InMemoryGrantStore.DEFAULT_RETENTION;
  }
}
