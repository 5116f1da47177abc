package dev.jitaccess.postgres;

import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.testkit.GrantStoreCompatibilityKit;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;

/**
 * The contract with a retention of zero, on connections that a pool hands out outside auto-commit
 * mode (the store then commits each statement itself).
 */
class PostgresGrantStoreWithoutRetentionCompatibilityTest extends GrantStoreCompatibilityKit {
  private static final TestPool MANUAL_COMMIT = new TestPool(TestDatabase.unpooled(), false);

  @Override
  public GrantStore createStore(FakeClock clock) {
    return PostgresGrantStore.builder().dataSource(MANUAL_COMMIT)
        .schema(TestDatabase.freshSchema()).clock(clock).retention(Duration.ZERO).build();
  }

  @Override
  protected Duration retention() {
    return Duration.ZERO;
  }
}
