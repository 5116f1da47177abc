package dev.jitaccess.postgres;

import dev.jitaccess.governance.spi.GovernanceStore;
import dev.jitaccess.testkit.GovernanceStoreCompatibilityKit;

/**
 * The whole GovernanceStore contract through a pool that hands out connections with auto-commit
 * off, as some applications' pools do: every write must commit, every failure roll back.
 */
class PostgresGovernanceStoreManualCommitCompatibilityTest extends GovernanceStoreCompatibilityKit {
  private static final TestPool MANUAL_COMMIT = new TestPool(TestDatabase.unpooled(), false);

  @Override
  public GovernanceStore createStore() {
    String schema = TestDatabase.newSchemaName();
    PostgresGovernanceSchema.apply(MANUAL_COMMIT, schema);
    return PostgresGovernanceStore.builder().dataSource(MANUAL_COMMIT).schema(schema).build();
  }
}
