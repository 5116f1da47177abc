package dev.jitaccess.testkit;

import dev.jitaccess.teardown.InMemoryTeardownLedger;
import dev.jitaccess.teardown.spi.TeardownLedger;

/** The in-memory ledger, the teardown's default, passes the whole teardown ledger kit. */
class InMemoryTeardownLedgerCompatibilityTest extends TeardownLedgerCompatibilityKit {
  @Override
  public TeardownLedger createLedger() {
    return new InMemoryTeardownLedger();
  }
}
