package dev.jitaccess.postgres;

import dev.jitaccess.governance.spi.GovernanceStore;
import dev.jitaccess.testkit.GovernanceStoreCompatibilityKit;

/** The whole GovernanceStore contract, on a real PostgreSQL, a fresh schema per test. */
class PostgresGovernanceStoreCompatibilityTest extends GovernanceStoreCompatibilityKit {
  @Override
  public GovernanceStore createStore() {
    String schema = TestDatabase.newSchemaName();
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    return PostgresGovernanceStore.builder().dataSource(TestDatabase.dataSource()).schema(schema)
        .build();
  }
}
