package dev.jitaccess.teardown;

import dev.jitaccess.teardown.spi.TeardownLedger;

/** The in-memory ledger keeps the ledger contract. */
class InMemoryTeardownLedgerTest extends TeardownLedgerContract {
  @Override
  protected TeardownLedger newLedger() {
    return new InMemoryTeardownLedger();
  }
}
