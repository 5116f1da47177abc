package dev.jitaccess.postgres;

import dev.jitaccess.teardown.spi.TeardownLedger;
import dev.jitaccess.testkit.TeardownLedgerCompatibilityKit;

/** The whole TeardownLedger contract, on a real PostgreSQL, a fresh schema per test. */
class PostgresTeardownLedgerCompatibilityTest extends TeardownLedgerCompatibilityKit {
  @Override
  public TeardownLedger createLedger() {
    String schema = TestDatabase.newSchemaName();
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    return PostgresTeardownLedger.builder().dataSource(TestDatabase.dataSource()).schema(schema)
        .build();
  }
}
