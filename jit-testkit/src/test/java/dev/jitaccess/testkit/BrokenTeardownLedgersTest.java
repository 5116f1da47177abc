package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.teardown.spi.TeardownLedger;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.Events;

/**
 * The teardown ledger kit passes a second, simplest ledger, and catches ledgers that each break
 * one rule: leases ignored, inserts that overwrite, writes that ignore the version.
 */
class BrokenTeardownLedgersTest {
  /** How many tests the kit has. */
  private static final int KIT_TESTS = 17;

  private static Set<String> failed(Class<?> fixture) {
    return EngineRuns.failed(EngineRuns.run(fixture));
  }

  @Test
  void theSimplestLedgerThatKeepsTheContractPassesTheWholeKit() {
    Events events = EngineRuns.run(Keeps.class);
    assertEquals(Set.of(), EngineRuns.failed(events));
    assertEquals(KIT_TESTS, events.succeeded().count());
  }

  @Test
  void aLedgerThatIgnoresLeasesFailsTheLeaseAndRaceChecks() {
    Set<String> failed = failed(IgnoresLeases.class);
    assertTrue(failed.contains("claims a leased entry only once its lease has passed"),
        failed.toString());
    assertTrue(failed.contains("gives each entry to one of several racing claimers"),
        failed.toString());
  }

  @Test
  void aLedgerWhoseInsertOverwritesFailsTheInsertChecks() {
    Set<String> failed = failed(Overwrites.class);
    assertTrue(failed.contains(
        "stores one entry per grant and downstream; a second insert changes nothing"),
        failed.toString());
    assertTrue(failed.contains("of eight racing inserts of one key, exactly one stores"),
        failed.toString());
  }

  @Test
  void aLedgerThatIgnoresTheVersionFailsTheCompareAndSetChecks() {
    Set<String> failed = failed(IgnoresVersion.class);
    assertTrue(failed.contains(
        "stores the next version only over the version it was derived from"), failed.toString());
    assertTrue(failed.contains("of racing calls from one snapshot by many threads, exactly one "
        + "wins"), failed.toString());
  }

  @Tag("fixture")
  static class Keeps extends TeardownLedgerCompatibilityKit {
    @Override
    public TeardownLedger createLedger() {
      return new MapLedger(MapLedger.Breaks.NOTHING);
    }
  }

  @Tag("fixture")
  static class IgnoresLeases extends TeardownLedgerCompatibilityKit {
    @Override
    public TeardownLedger createLedger() {
      return new MapLedger(MapLedger.Breaks.LEASES);
    }
  }

  @Tag("fixture")
  static class Overwrites extends TeardownLedgerCompatibilityKit {
    @Override
    public TeardownLedger createLedger() {
      return new MapLedger(MapLedger.Breaks.INSERT_ONCE);
    }
  }

  @Tag("fixture")
  static class IgnoresVersion extends TeardownLedgerCompatibilityKit {
    @Override
    public TeardownLedger createLedger() {
      return new MapLedger(MapLedger.Breaks.VERSION);
    }
  }
}
