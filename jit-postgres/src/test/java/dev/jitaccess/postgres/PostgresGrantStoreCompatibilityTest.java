package dev.jitaccess.postgres;

import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.testkit.GrantStoreCompatibilityKit;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;

/** The whole GrantStore contract, on a real PostgreSQL, a fresh schema per test. */
class PostgresGrantStoreCompatibilityTest extends GrantStoreCompatibilityKit {
  @Override
  public GrantStore createStore(FakeClock clock) {
    return PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(TestDatabase.freshSchema()).clock(clock).build();
  }

  @Override
  protected Duration retention() {
    return PostgresGrantStore.DEFAULT_RETENTION;
  }
}
