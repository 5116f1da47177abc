package dev.jitaccess.postgres;

import dev.jitaccess.governance.spi.RecertificationStore;
import dev.jitaccess.testkit.RecertificationStoreCompatibilityKit;

/**
 * The whole RecertificationStore contract through pools that hand out connections with
 * auto-commit off: every write must commit, every failure roll back.
 */
class PostgresRecertificationStoreManualCommitCompatibilityTest
    extends RecertificationStoreCompatibilityKit {
  private static final TestPool MANUAL_COMMIT = new TestPool(TestDatabase.unpooled(), false);

  @Override
  public RecertificationStore createStore() {
    String schema = TestDatabase.newSchemaName();
    PostgresGovernanceSchema.apply(MANUAL_COMMIT, schema);
    return PostgresRecertificationStore.builder().dataSource(MANUAL_COMMIT).schema(schema)
        .build();
  }

  @Override
  protected RecertificationStore createReplica(RecertificationStore store) {
    return PostgresRecertificationStore.builder()
        .dataSource(new TestPool(TestDatabase.unpooled(), false))
        .schema(((PostgresRecertificationStore) store).schema()).build();
  }
}
