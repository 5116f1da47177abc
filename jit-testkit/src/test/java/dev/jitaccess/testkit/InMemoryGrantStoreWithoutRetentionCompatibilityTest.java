package dev.jitaccess.testkit;

import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;

/** The kit demands no retention: a store that forgets ended grants at once passes too. */
class InMemoryGrantStoreWithoutRetentionCompatibilityTest extends GrantStoreCompatibilityKit {
  @Override
  public GrantStore createStore(FakeClock clock) {
    return InMemoryGrantStore.builder().clock(clock).scheduler(clock).retention(Duration.ZERO)
        .build();
  }

  @Override
  protected Duration retention() {
    return Duration.ZERO;
  }
}
