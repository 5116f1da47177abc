package dev.jitaccess.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.jitaccess.teardown.spi.TeardownLedger;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The ledger contract passes a second, simplest ledger, and catches ledgers that each break one
 * rule: leases ignored, inserts that overwrite, writes that ignore the version.
 */
class BrokenLedgersTest {
  private static Events run(Class<?> fixture) {
    return EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute()
        .testEvents();
  }

  private static Set<String> failed(Class<?> fixture) {
    Set<String> names = new TreeSet<>();
    run(fixture).failed().stream()
        .forEach(e -> names.add(e.getTestDescriptor().getDisplayName()));
    return names;
  }

  @Test
  void theSimplestLedgerThatKeepsTheContractPassesIt() {
    Events events = run(Keeps.class);
    assertEquals(0, events.failed().count(), "failed: " + failed(Keeps.class));
    assertEquals(12, events.succeeded().count());
  }

  @Test
  void aLedgerThatIgnoresLeasesFails() {
    assertTrue(failed(IgnoresLeases.class).contains(
        "claims a leased entry only once its lease has passed"), failed(IgnoresLeases.class)
        .toString());
  }

  @Test
  void aLedgerWhoseInsertOverwritesFails() {
    Set<String> failed = failed(Overwrites.class);
    assertTrue(failed.contains(
        "stores one entry per grant and downstream; a second insert changes nothing"),
        failed.toString());
    assertTrue(failed.contains("of eight racing inserts of one key, exactly one stores"));
  }

  @Test
  void aLedgerThatIgnoresTheVersionFails() {
    Set<String> failed = failed(IgnoresVersion.class);
    assertTrue(failed.contains(
        "stores the next version only over the version it was derived from"), failed.toString());
  }

  @Tag("fixture")
  static class Keeps extends TeardownLedgerContract {
    @Override
    protected TeardownLedger newLedger() {
      return new MapLedger(MapLedger.Breaks.NOTHING);
    }
  }

  @Tag("fixture")
  static class IgnoresLeases extends TeardownLedgerContract {
    @Override
    protected TeardownLedger newLedger() {
      return new MapLedger(MapLedger.Breaks.LEASES);
    }
  }

  @Tag("fixture")
  static class Overwrites extends TeardownLedgerContract {
    @Override
    protected TeardownLedger newLedger() {
      return new MapLedger(MapLedger.Breaks.INSERT_ONCE);
    }
  }

  @Tag("fixture")
  static class IgnoresVersion extends TeardownLedgerContract {
    @Override
    protected TeardownLedger newLedger() {
      return new MapLedger(MapLedger.Breaks.VERSION);
    }
  }
}
