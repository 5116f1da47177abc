package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.TeardownEntries.T0;
import static dev.jitaccess.testkit.TeardownEntries.ended;
import static dev.jitaccess.testkit.TeardownEntries.pending;
import static dev.jitaccess.testkit.TeardownEntries.verified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link TeardownLedger#lingering} and {@link TeardownLedger#deleteSettled}, which
 * {@link TeardownLedgerCompatibilityKit} runs as a nested class.
 */
abstract class TeardownRetentionChecks {
  private final TeardownLedgerCompatibilityKit kit;

  TeardownRetentionChecks(TeardownLedgerCompatibilityKit kit) {
    this.kit = kit;
  }

  private TeardownLedger ledger() {
    return kit.ledger();
  }

  @Test
  @DisplayName("lists unsettled entries whose grant ended at or before the bound, oldest first")
  void listsUnsettledEntriesOldestFirst() {
    TeardownEntry old = pending(ended("old", T0), "db", T0);
    TeardownEntry older = pending(ended("older", T0.minusSeconds(60)), "db", T0);
    TeardownEntry recent = pending(ended("recent", T0.plusNanos(1)), "db", T0);
    TeardownEntry done = pending(ended("done", T0.minusSeconds(120)), "db", T0);
    for (TeardownEntry e : List.of(old, older, recent, done)) {
      ledger().insert(e);
    }
    ledger().compareAndSet(done, verified(done, T0));
    List<TeardownEntry> lingering = ledger().lingering(T0, 10);
    assertEquals(List.of("older", "old"),
        lingering.stream().map(TeardownEntry::subject).toList());
    assertEquals(List.of(older), ledger().lingering(T0, 1));
    assertEquals("team-payments", lingering.get(0).owner());
  }

  @Test
  @DisplayName("deletes settled entries last written at or before the bound, never due ones")
  void deletesOnlyOldSettledEntries() {
    TeardownEntry due = pending(ended("due", T0), "db", T0);
    TeardownEntry settled = pending(ended("settled", T0), "db", T0);
    TeardownEntry fresh = pending(ended("fresh", T0), "db", T0);
    for (TeardownEntry e : List.of(due, settled, fresh)) {
      ledger().insert(e);
    }
    ledger().compareAndSet(settled, verified(settled, T0.plusSeconds(10)));
    ledger().compareAndSet(fresh, verified(fresh, T0.plusSeconds(100)));
    assertEquals(1, ledger().deleteSettled(T0.plusSeconds(10), 10));
    assertNull(ledger().get(settled.grantId(), "db"));
    assertNotNull(ledger().get(fresh.grantId(), "db"));
    assertNotNull(ledger().get(due.grantId(), "db"));
    assertEquals(1, ledger().deleteSettled(T0.plus(Duration.ofDays(1)), 10));
    assertNotNull(ledger().get(due.grantId(), "db"));
  }

  @Test
  @DisplayName("deletes at most the limit at a time")
  void deletesAtMostTheLimit() {
    for (int i = 0; i < 5; i++) {
      TeardownEntry e = pending(ended("s" + i, T0), "db", T0);
      ledger().insert(e);
      ledger().compareAndSet(e, verified(e, T0));
    }
    assertEquals(2, ledger().deleteSettled(T0, 2));
    assertEquals(3, ledger().deleteSettled(T0, 10));
    assertEquals(0, ledger().deleteSettled(T0, 10));
  }
}
