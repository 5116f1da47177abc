package dev.jitaccess.postgres;

import dev.jitaccess.teardown.spi.TeardownLedger;
import dev.jitaccess.testkit.TeardownLedgerCompatibilityKit;

/**
 * The whole TeardownLedger contract through a pool that hands out connections with auto-commit
 * off, as some applications' pools do: every write must commit, every failure roll back.
 */
class PostgresTeardownLedgerManualCommitCompatibilityTest extends TeardownLedgerCompatibilityKit {
  private static final TestPool MANUAL_COMMIT = new TestPool(TestDatabase.unpooled(), false);

  @Override
  public TeardownLedger createLedger() {
    String schema = TestDatabase.newSchemaName();
    PostgresGovernanceSchema.apply(MANUAL_COMMIT, schema);
    return PostgresTeardownLedger.builder().dataSource(MANUAL_COMMIT).schema(schema).build();
  }
}
