package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.TeardownEntries.T0;
import static dev.jitaccess.testkit.TeardownEntries.ended;
import static dev.jitaccess.testkit.TeardownEntries.pending;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownState;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link TeardownLedger#insert} and {@link TeardownLedger#get}, which {@link
 * TeardownLedgerCompatibilityKit} runs as a nested class: once per key, also under racing
 * threads, and every field given back exactly.
 */
abstract class TeardownInsertChecks {
  private final TeardownLedgerCompatibilityKit kit;

  TeardownInsertChecks(TeardownLedgerCompatibilityKit kit) {
    this.kit = kit;
  }

  private TeardownLedger ledger() {
    return kit.ledger();
  }

  @Test
  @DisplayName("stores one entry per grant and downstream; a second insert changes nothing")
  void insertIsIdempotentPerGrantAndDownstream() {
    Grant grant = ended("alice", T0);
    TeardownEntry db = pending(grant, "db", T0);
    assertTrue(ledger().insert(db));
    assertFalse(ledger().insert(pending(grant, "db", T0.plusSeconds(1))));
    assertEquals(db, ledger().get(grant.id(), "db"));
    assertTrue(ledger().insert(pending(grant, "iam", T0)));
    assertEquals(2, ledger().entriesOf(grant.id()).size());
    assertTrue(ledger().entriesOf(KitSupport.newId()).isEmpty());
    assertNull(ledger().get(grant.id(), "saas"));
  }

  @Test
  @DisplayName("of eight racing inserts of one key, exactly one stores")
  void racingInsertsStoreExactlyOnce() {
    for (int round = 0; round < TeardownLedgerCompatibilityKit.ROUNDS; round++) {
      Grant grant = ended("alice", T0);
      CyclicBarrier start = new CyclicBarrier(TeardownLedgerCompatibilityKit.THREADS);
      List<Callable<TeardownEntry>> racers = new ArrayList<>();
      for (int t = 0; t < TeardownLedgerCompatibilityKit.THREADS; t++) {
        TeardownEntry mine = pending(grant, "db", T0.plusNanos(t));
        racers.add(() -> {
          start.await();
          return ledger().insert(mine) ? mine : null;
        });
      }
      List<TeardownEntry> winners = new ArrayList<>();
      for (TeardownEntry e : KitSupport.runConcurrently(racers)) {
        if (e != null) {
          winners.add(e);
        }
      }
      assertEquals(1, winners.size(), "round " + round + ": winners " + winners);
      assertEquals(winners.get(0), ledger().get(grant.id(), "db"), "round " + round);
    }
  }

  @Test
  @DisplayName("refuses an entry that is not a new one")
  void insertRefusesALaterVersion() {
    TeardownEntry e = pending(ended("alice", T0), "db", T0).toBuilder().version(3).build();
    assertThrows(IllegalArgumentException.class, () -> ledger().insert(e));
    assertNull(ledger().get(e.grantId(), "db"));
  }

  @Test
  @DisplayName("gives back every field exactly: the whole grant, every state, to the nanosecond")
  void getGivesBackEveryFieldExactly() {
    Instant at = T0.plusNanos(7);
    Grant grant = TeardownEntries.everyField(at);
    List<TeardownEntry> entries = List.of(
        TeardownEntry.builder(grant, "db").createdAt(at).updatedAt(at.plusNanos(1))
            .dueAt(at.plusNanos(2)).lease("replica-\u00e4", at.plusSeconds(300).plusNanos(3))
            .attempts(4).entitlement("role \u2014 payments_rw").cause("java.io.IOException")
            .build(),
        TeardownEntry.builder(grant, "iam").state(TeardownState.REVOKED).createdAt(at)
            .updatedAt(at).attempts(1).build(),
        TeardownEntry.builder(grant, "saas").state(TeardownState.IRREVOCABLE).createdAt(at)
            .updatedAt(at).dueAt(at.plusSeconds(86_400)).attempts(6)
            .cause("the downstream answered unrecoverable").build(),
        TeardownEntry.builder(grant, "ldap").state(TeardownState.RETAINED).createdAt(at)
            .updatedAt(at).entitlement("cn=payments").retainedBy("grf_" + KitSupport.newId())
            .build(),
        TeardownEntry.builder(grant, "vault").state(TeardownState.CLOSED).createdAt(at)
            .updatedAt(at).actor("oncall@example.com").cause("removed by hand").build(),
        TeardownEntry.builder(grant, "k8s").state(TeardownState.VERIFIED).createdAt(at)
            .updatedAt(at).attempts(2).build());
    for (TeardownEntry e : entries) {
      assertTrue(ledger().insert(e), e.downstream());
    }
    for (TeardownEntry e : entries) {
      TeardownEntry stored = ledger().get(grant.id(), e.downstream());
      assertEquals(e, stored, e.downstream());
      assertEquals(grant, stored.grant(), "the grant snapshot of " + e.downstream());
      assertEquals(e.grantReference(), stored.grantReference());
    }
    assertEquals(entries.size(), ledger().entriesOf(grant.id()).size());
  }
}
