package dev.jitaccess.postgres;

import dev.jitaccess.governance.spi.BundleStore;
import dev.jitaccess.testkit.BundleStoreCompatibilityKit;

/**
 * The whole BundleStore contract through pools that hand out connections with auto-commit off,
 * as some applications' pools do: every write must commit, every failure roll back.
 */
class PostgresBundleStoreManualCommitCompatibilityTest extends BundleStoreCompatibilityKit {
  private static final TestPool MANUAL_COMMIT = new TestPool(TestDatabase.unpooled(), false);

  @Override
  public BundleStore createStore() {
    String schema = TestDatabase.newSchemaName();
    PostgresGovernanceSchema.apply(MANUAL_COMMIT, schema);
    return PostgresBundleStore.builder().dataSource(MANUAL_COMMIT).schema(schema).build();
  }

  @Override
  protected BundleStore createReplica(BundleStore store) {
    return PostgresBundleStore.builder().dataSource(new TestPool(TestDatabase.unpooled(), false))
        .schema(((PostgresBundleStore) store).schema()).build();
  }
}
