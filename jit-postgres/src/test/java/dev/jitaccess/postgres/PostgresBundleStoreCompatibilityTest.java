package dev.jitaccess.postgres;

import dev.jitaccess.governance.spi.BundleStore;
import dev.jitaccess.testkit.BundleStoreCompatibilityKit;

/**
 * The whole BundleStore contract, on a real PostgreSQL, a fresh schema per test; the second
 * instance runs on a pool of its own, as another replica's would.
 */
class PostgresBundleStoreCompatibilityTest extends BundleStoreCompatibilityKit {
  @Override
  public BundleStore createStore() {
    String schema = TestDatabase.newSchemaName();
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    return PostgresBundleStore.builder().dataSource(TestDatabase.dataSource()).schema(schema)
        .build();
  }

  @Override
  protected BundleStore createReplica(BundleStore store) {
    return PostgresBundleStore.builder().dataSource(new TestPool(TestDatabase.unpooled(), true))
        .schema(((PostgresBundleStore) store).schema()).build();
  }
}
