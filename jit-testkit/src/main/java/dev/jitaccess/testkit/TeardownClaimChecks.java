package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.TeardownEntries.T0;
import static dev.jitaccess.testkit.TeardownEntries.ended;
import static dev.jitaccess.testkit.TeardownEntries.pending;
import static dev.jitaccess.testkit.TeardownEntries.verified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link TeardownLedger#claimDue}, which {@link TeardownLedgerCompatibilityKit}
 * runs as a nested class: due entries of one downstream, earliest first, leases respected, and
 * each entry to one of many racing claimers.
 */
abstract class TeardownClaimChecks {
  /** How many entries one claim of the race asks for. */
  private static final int BATCH = 7;

  private final TeardownLedgerCompatibilityKit kit;

  TeardownClaimChecks(TeardownLedgerCompatibilityKit kit) {
    this.kit = kit;
  }

  private TeardownLedger ledger() {
    return kit.ledger();
  }

  @Test
  @DisplayName("leases due entries of the downstream, earliest first, up to the limit")
  void claimsDueEntriesEarliestFirst() {
    List<TeardownEntry> entries = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      TeardownEntry e = pending(ended("s" + i, T0), "db", T0.plusSeconds(10 - i));
      ledger().insert(e);
      entries.add(e);
    }
    ledger().insert(pending(ended("iam", T0), "iam", T0));
    ledger().insert(pending(ended("later", T0), "db", T0.plusSeconds(60)));
    Instant now = T0.plusSeconds(30);
    List<TeardownEntry> claimed = ledger().claimDue("db", now, "replica-a",
        now.plusSeconds(300), 3);
    assertEquals(3, claimed.size());
    assertEquals(List.of(entries.get(4).grantId(), entries.get(3).grantId(),
        entries.get(2).grantId()), claimed.stream().map(TeardownEntry::grantId).toList());
    for (TeardownEntry c : claimed) {
      assertEquals("replica-a", c.leaseOwner());
      assertEquals(now.plusSeconds(300), c.leaseUntil());
      assertEquals(1, c.version());
      assertEquals(now, c.updatedAt());
      assertEquals(c, ledger().get(c.grantId(), "db"));
    }
    assertEquals(2, ledger().claimDue("db", now, "replica-b", now.plusSeconds(300), 10).size(),
        "the leased ones are not claimed again; the one due later is not yet due");
  }

  @Test
  @DisplayName("claims a leased entry only once its lease has passed")
  void claimsALeasedEntryOnlyAfterItsLease() {
    TeardownEntry e = pending(ended("alice", T0), "db", T0).toBuilder()
        .lease("replica-a", T0.plusSeconds(300)).build();
    ledger().insert(e);
    assertTrue(ledger().claimDue("db", T0.plusSeconds(300).minusNanos(1), "replica-b",
        T0.plusSeconds(900), 10).isEmpty());
    List<TeardownEntry> taken = ledger().claimDue("db", T0.plusSeconds(300), "replica-b",
        T0.plusSeconds(900), 10);
    assertEquals(1, taken.size());
    assertEquals("replica-b", taken.get(0).leaseOwner());
    assertEquals(taken.get(0), ledger().get(e.grantId(), "db"));
  }

  @Test
  @DisplayName("orders by the time an entry becomes claimable: a lease that passed later comes "
      + "later")
  void ordersByClaimableTime() {
    TeardownEntry leasedLong = pending(ended("a", T0), "db", T0).toBuilder()
        .lease("replica-a", T0.plusSeconds(100)).build();
    TeardownEntry dueLater = pending(ended("b", T0), "db", T0.plusSeconds(50));
    ledger().insert(leasedLong);
    ledger().insert(dueLater);
    List<TeardownEntry> claimed = ledger().claimDue("db", T0.plusSeconds(200), "replica-b",
        T0.plusSeconds(500), 1);
    assertEquals(List.of(dueLater.grantId()),
        claimed.stream().map(TeardownEntry::grantId).toList());
  }

  @Test
  @DisplayName("never claims a settled entry")
  void neverClaimsASettledEntry() {
    TeardownEntry e = pending(ended("alice", T0), "db", T0);
    ledger().insert(e);
    ledger().compareAndSet(e, verified(e, T0));
    assertTrue(ledger().claimDue("db", T0.plus(Duration.ofDays(9)), "replica-b",
        T0.plus(Duration.ofDays(10)), 10).isEmpty());
  }

  @Test
  @DisplayName("gives each entry to one of several racing claimers")
  void racingClaimersGetDisjointEntries() {
    int entries = TeardownLedgerCompatibilityKit.CLAIMED_ENTRIES;
    for (int i = 0; i < entries; i++) {
      ledger().insert(pending(ended("s" + i, T0), "db", T0.plusNanos(i % 13)));
    }
    CyclicBarrier start = new CyclicBarrier(TeardownLedgerCompatibilityKit.THREADS);
    List<Callable<List<TeardownEntry>>> claimers = new ArrayList<>();
    for (int t = 0; t < TeardownLedgerCompatibilityKit.THREADS; t++) {
      String owner = "replica-" + t;
      claimers.add(() -> {
        start.await();
        List<TeardownEntry> mine = new ArrayList<>();
        List<TeardownEntry> got;
        do {
          got = ledger().claimDue("db", T0.plusSeconds(1), owner, T0.plusSeconds(300), BATCH);
          mine.addAll(got);
        } while (!got.isEmpty() && mine.size() <= entries); // bounded, should a ledger re-lease
        return mine;
      });
    }
    Set<String> seen = new HashSet<>();
    for (List<TeardownEntry> claim : KitSupport.runConcurrently(claimers)) {
      for (TeardownEntry c : claim) {
        assertTrue(seen.add(c.grantId()), "claimed twice: " + c);
        TeardownEntry stored = ledger().get(c.grantId(), "db");
        assertNotNull(stored);
        assertEquals(c.leaseOwner(), stored.leaseOwner());
        assertEquals(1, stored.version());
      }
    }
    assertEquals(entries, seen.size());
  }
}
