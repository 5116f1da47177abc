package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.TeardownEntries.T0;
import static dev.jitaccess.testkit.TeardownEntries.ended;
import static dev.jitaccess.testkit.TeardownEntries.next;
import static dev.jitaccess.testkit.TeardownEntries.pending;
import static dev.jitaccess.testkit.TeardownEntries.verified;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownState;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link TeardownLedger#compareAndSet}, which {@link TeardownLedgerCompatibilityKit}
 * runs as a nested class: decided by the version, legal successors only, and linearizable under
 * racing threads.
 */
abstract class TeardownCompareAndSetChecks {
  /** How many writes each thread of the lost-update test makes. */
  private static final int WRITES_PER_THREAD = 30;

  private final TeardownLedgerCompatibilityKit kit;

  TeardownCompareAndSetChecks(TeardownLedgerCompatibilityKit kit) {
    this.kit = kit;
  }

  private TeardownLedger ledger() {
    return kit.ledger();
  }

  @Test
  @DisplayName("stores the next version only over the version it was derived from")
  void storesOnlyOverTheExpectedVersion() {
    TeardownEntry e = pending(ended("alice", T0), "db", T0);
    ledger().insert(e);
    TeardownEntry retry = next(e, TeardownState.PENDING, T0, T0.plusSeconds(10));
    assertTrue(ledger().compareAndSet(e, retry));
    assertFalse(ledger().compareAndSet(e, next(e, TeardownState.PENDING, T0, T0)),
        "a stale snapshot loses");
    assertEquals(retry, ledger().get(e.grantId(), "db"));
    TeardownEntry unknown = pending(ended("bob", T0), "db", T0);
    assertFalse(ledger().compareAndSet(unknown, next(unknown, TeardownState.PENDING, T0, T0)),
        "an unknown entry is not stored");
    assertNull(ledger().get(unknown.grantId(), "db"));
  }

  @Test
  @DisplayName("refuses an illegal successor: a skipped version, a final state left, another key")
  void refusesIllegalSuccessors() {
    TeardownEntry e = pending(ended("alice", T0), "db", T0);
    ledger().insert(e);
    TeardownEntry skipped = e.toBuilder().version(2).build();
    assertThrows(IllegalArgumentException.class, () -> ledger().compareAndSet(e, skipped));
    TeardownEntry done = verified(e, T0);
    assertTrue(ledger().compareAndSet(e, done));
    TeardownEntry back = done.toBuilder().state(TeardownState.PENDING).dueAt(T0)
        .version(done.version() + 1).build();
    IllegalArgumentException illegal = assertThrows(IllegalArgumentException.class,
        () -> ledger().compareAndSet(done, back));
    assertEquals("a VERIFIED entry must not become PENDING", illegal.getMessage());
    TeardownEntry other = pending(ended("bob", T0), "db", T0);
    assertThrows(IllegalArgumentException.class,
        () -> ledger().compareAndSet(e, other.toBuilder().version(1).build()));
    assertEquals(done, ledger().get(e.grantId(), "db"));
  }

  @Test
  @DisplayName("replaces every field, through an entry's whole life")
  void replacesEveryFieldThroughALife() {
    TeardownEntry e = pending(ended("alice", T0), "db", T0);
    ledger().insert(e);
    TeardownEntry leased = e.withLease("replica-a", T0.plusSeconds(300), T0.plusNanos(1));
    TeardownEntry failed = leased.toBuilder().state(TeardownState.IRREVOCABLE).lease(null, null)
        .dueAt(T0.plusSeconds(86_400)).attempts(6).cause("java.net.ConnectException")
        .entitlement("payments_rw").updatedAt(T0.plusNanos(2)).version(2).build();
    TeardownEntry revoked = failed.toBuilder().state(TeardownState.REVOKED).dueAt(null)
        .cause(null).attempts(7).updatedAt(T0.plusNanos(3)).version(3).build();
    TeardownEntry closed = revoked.toBuilder().state(TeardownState.CLOSED)
        .actor("oncall@example.com").cause("accepted").updatedAt(T0.plusNanos(4)).version(4)
        .build();
    TeardownEntry current = e;
    for (TeardownEntry next : List.of(leased, failed, revoked, closed)) {
      assertTrue(ledger().compareAndSet(current, next), "to version " + next.version());
      assertEquals(next, ledger().get(e.grantId(), "db"), "version " + next.version());
      current = next;
    }
  }

  @Test
  @DisplayName("of racing calls from one snapshot by many threads, exactly one wins")
  void exactlyOneRacingCallWins() {
    for (int round = 0; round < TeardownLedgerCompatibilityKit.ROUNDS; round++) {
      TeardownEntry e = pending(ended("alice", T0), "db", T0);
      ledger().insert(e);
      CyclicBarrier start = new CyclicBarrier(TeardownLedgerCompatibilityKit.THREADS);
      List<Callable<TeardownEntry>> racers = new ArrayList<>();
      for (int t = 0; t < TeardownLedgerCompatibilityKit.THREADS; t++) {
        TeardownEntry mine = next(e, TeardownState.PENDING, T0, T0.plusSeconds(t));
        racers.add(() -> {
          start.await();
          return ledger().compareAndSet(e, mine) ? mine : null;
        });
      }
      List<TeardownEntry> winners = new ArrayList<>();
      for (TeardownEntry won : KitSupport.runConcurrently(racers)) {
        if (won != null) {
          winners.add(won);
        }
      }
      assertEquals(1, winners.size(), "round " + round + ": winners " + winners);
      assertEquals(winners.get(0), ledger().get(e.grantId(), "db"),
          "round " + round + ": get must return the winner's snapshot");
    }
  }

  @Test
  @DisplayName("is linearizable: racing writers from fresh reads lose no write")
  void racingWritersLoseNoWrite() {
    TeardownEntry e = pending(ended("alice", T0), "db", T0);
    ledger().insert(e);
    CyclicBarrier start = new CyclicBarrier(TeardownLedgerCompatibilityKit.THREADS);
    List<Callable<Integer>> writers = new ArrayList<>();
    for (int t = 0; t < TeardownLedgerCompatibilityKit.THREADS; t++) {
      writers.add(() -> {
        start.await();
        int stored = 0;
        for (int i = 0; i < WRITES_PER_THREAD; i++) {
          TeardownEntry current = ledger().get(e.grantId(), "db");
          assertNotNull(current, "the entry vanished");
          if (ledger().compareAndSet(current,
              next(current, TeardownState.PENDING, T0, T0.plusSeconds(1)))) {
            stored++;
          }
        }
        return stored;
      });
    }
    int stored = KitSupport.runConcurrently(writers).stream().mapToInt(Integer::intValue).sum();
    TeardownEntry last = ledger().get(e.grantId(), "db");
    assertNotNull(last);
    assertTrue(stored > 0, "some write must succeed");
    assertEquals(stored, last.attempts(), "one attempt per successful write");
    assertEquals(stored, last.version(), "one version per successful write");
  }
}
