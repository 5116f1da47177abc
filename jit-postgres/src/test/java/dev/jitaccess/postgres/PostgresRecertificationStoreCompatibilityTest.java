package dev.jitaccess.postgres;

import dev.jitaccess.governance.spi.RecertificationStore;
import dev.jitaccess.testkit.RecertificationStoreCompatibilityKit;

/**
 * The whole RecertificationStore contract, on a real PostgreSQL, a fresh schema per test; the
 * second instance runs on a pool of its own, as another replica's would.
 */
class PostgresRecertificationStoreCompatibilityTest extends RecertificationStoreCompatibilityKit {
  @Override
  public RecertificationStore createStore() {
    String schema = TestDatabase.newSchemaName();
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    return PostgresRecertificationStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).build();
  }

  @Override
  protected RecertificationStore createReplica(RecertificationStore store) {
    return PostgresRecertificationStore.builder()
        .dataSource(new TestPool(TestDatabase.unpooled(), true))
        .schema(((PostgresRecertificationStore) store).schema()).build();
  }
}
