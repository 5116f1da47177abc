package dev.jitaccess.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TeardownLedger} must do, one nested class per capability: extend it with a
 * factory of a fresh, empty ledger (a database ledger: one whose tables were emptied).
 */
abstract class TeardownLedgerContract {
  static final Instant T0 = Instant.parse("2026-03-14T09:26:53.589793Z");

  /** A fresh, empty ledger. */
  protected abstract TeardownLedger newLedger();

  TeardownLedger ledger;

  @BeforeEach
  void setUp() {
    ledger = newLedger();
  }

  static Grant ended(String subject, Instant endedAt) {
    GrantRequest request = GrantRequest.builder().subject(subject).owner("team-payments")
        .task("task").purpose("purpose").scope("write:db/payments")
        .ttl(Ttl.of(Duration.ofHours(1))).build();
    Grant live = Grant.issue(SharedEntitlementTest.randomId(), request,
        Scope.parse("write:db/payments"), endedAt.minus(Duration.ofMinutes(5)),
        endedAt.plus(Duration.ofMinutes(55)), endedAt.plus(Duration.ofMinutes(55)), null);
    return live.end(GrantState.REVOKED, RevocationReason.MANUAL, endedAt);
  }

  static TeardownEntry pending(Grant grant, String downstream, Instant at) {
    return TeardownEntry.builder(grant, downstream).createdAt(at).updatedAt(at).dueAt(at).build();
  }

  static TeardownEntry next(TeardownEntry e, TeardownState state, Instant at,
      Instant dueAt) {
    return e.toBuilder().state(state).dueAt(dueAt).lease(null, null).updatedAt(at)
        .attempts(e.attempts() + 1).version(e.version() + 1).build();
  }

  static TeardownEntry verified(TeardownEntry e, Instant at) {
    return e.toBuilder().state(TeardownState.VERIFIED).dueAt(null).lease(null, null)
        .updatedAt(at).attempts(e.attempts() + 1).version(e.version() + 1).build();
  }

  static <T> List<T> race(int threads, Callable<T> task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        futures.add(pool.submit(() -> {
          start.await();
          return task.call();
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(30, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Nested
  @DisplayName("insert")
  class Insert {
    @Test
    @DisplayName("stores one entry per grant and downstream; a second insert changes nothing")
    void insertIsIdempotentPerGrantAndDownstream() {
      Grant grant = ended("alice", T0);
      TeardownEntry db = pending(grant, "db", T0);
      assertTrue(ledger.insert(db));
      assertFalse(ledger.insert(pending(grant, "db", T0.plusSeconds(1))));
      assertEquals(db, ledger.get(grant.id(), "db"));
      assertTrue(ledger.insert(pending(grant, "iam", T0)));
      assertEquals(2, ledger.entriesOf(grant.id()).size());
      assertTrue(ledger.entriesOf("unknown-grant-id-000000").isEmpty());
      assertNull(ledger.get(grant.id(), "saas"));
    }

    @Test
    @DisplayName("of eight racing inserts of one key, exactly one stores")
    void racingInsertsStoreExactlyOnce() throws Exception {
      for (int round = 0; round < 50; round++) {
        Grant grant = ended("alice", T0);
        List<Boolean> won = race(8, () -> ledger.insert(pending(grant, "db", T0)));
        assertEquals(1, won.stream().filter(w -> w).count());
      }
    }

    @Test
    @DisplayName("refuses an entry that is not a new one")
    void insertRefusesALaterVersion() {
      TeardownEntry e = pending(ended("alice", T0), "db", T0).toBuilder().version(3).build();
      assertThrows(IllegalArgumentException.class, () -> ledger.insert(e));
    }
  }

  @Nested
  @DisplayName("compareAndSet")
  class CompareAndSet {
    @Test
    @DisplayName("stores the next version only over the version it was derived from")
    void storesOnlyOverTheExpectedVersion() {
      TeardownEntry e = pending(ended("alice", T0), "db", T0);
      ledger.insert(e);
      TeardownEntry retry = next(e, TeardownState.PENDING, T0, T0.plusSeconds(10));
      assertTrue(ledger.compareAndSet(e, retry));
      assertFalse(ledger.compareAndSet(e, next(e, TeardownState.PENDING, T0, T0)),
          "a stale snapshot loses");
      assertEquals(retry, ledger.get(e.grantId(), "db"));
      TeardownEntry unknown = pending(ended("bob", T0), "db", T0);
      assertFalse(ledger.compareAndSet(unknown, next(unknown, TeardownState.PENDING, T0, T0)),
          "an unknown entry is not stored");
      assertNull(ledger.get(unknown.grantId(), "db"));
    }

    @Test
    @DisplayName("refuses an illegal successor: a skipped version, a final state left, another key")
    void refusesIllegalSuccessors() {
      TeardownEntry e = pending(ended("alice", T0), "db", T0);
      ledger.insert(e);
      TeardownEntry skipped = e.toBuilder().version(2).build();
      assertThrows(IllegalArgumentException.class, () -> ledger.compareAndSet(e, skipped));
      TeardownEntry done = verified(e, T0);
      assertTrue(ledger.compareAndSet(e, done));
      TeardownEntry back = done.toBuilder().state(TeardownState.PENDING).dueAt(T0)
          .version(done.version() + 1).build();
      IllegalArgumentException illegal = assertThrows(IllegalArgumentException.class,
          () -> ledger.compareAndSet(done, back));
      assertEquals("a VERIFIED entry must not become PENDING", illegal.getMessage());
      TeardownEntry other = pending(ended("bob", T0), "db", T0);
      assertThrows(IllegalArgumentException.class,
          () -> ledger.compareAndSet(e, other.toBuilder().version(1).build()));
    }

    @Test
    @DisplayName("is linearizable: racing writers from fresh reads lose no write")
    void racingWritersLoseNoWrite() throws Exception {
      TeardownEntry e = pending(ended("alice", T0), "db", T0);
      ledger.insert(e);
      AtomicInteger stored = new AtomicInteger();
      race(4, () -> {
        for (int i = 0; i < 250; i++) {
          TeardownEntry current = ledger.get(e.grantId(), "db");
          if (ledger.compareAndSet(current,
              next(current, TeardownState.PENDING, T0, T0.plusSeconds(1)))) {
            stored.incrementAndGet();
          }
        }
        return null;
      });
      TeardownEntry last = ledger.get(e.grantId(), "db");
      assertEquals(stored.get(), last.attempts());
      assertEquals(stored.get(), last.version());
    }
  }

  @Nested
  @DisplayName("claimDue")
  class ClaimDue {
    @Test
    @DisplayName("leases due entries of the downstream, earliest first, up to the limit")
    void claimsDueEntriesEarliestFirst() {
      List<TeardownEntry> entries = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        TeardownEntry e = pending(ended("s" + i, T0), "db", T0.plusSeconds(10 - i));
        ledger.insert(e);
        entries.add(e);
      }
      ledger.insert(pending(ended("iam", T0), "iam", T0));
      ledger.insert(pending(ended("later", T0), "db", T0.plusSeconds(60)));
      Instant now = T0.plusSeconds(30);
      List<TeardownEntry> claimed = ledger.claimDue("db", now, "replica-a",
          now.plusSeconds(300), 3);
      assertEquals(3, claimed.size());
      assertEquals(List.of(entries.get(4).grantId(), entries.get(3).grantId(),
          entries.get(2).grantId()), claimed.stream().map(TeardownEntry::grantId).toList());
      for (TeardownEntry c : claimed) {
        assertEquals("replica-a", c.leaseOwner());
        assertEquals(now.plusSeconds(300), c.leaseUntil());
        assertEquals(1, c.version());
        assertEquals(c, ledger.get(c.grantId(), "db"));
      }
      assertEquals(2, ledger.claimDue("db", now, "replica-b", now.plusSeconds(300), 10).size(),
          "the leased ones are not claimed again; the one due later is not yet due");
    }

    @Test
    @DisplayName("claims a leased entry only once its lease has passed")
    void claimsALeasedEntryOnlyAfterItsLease() {
      TeardownEntry e = pending(ended("alice", T0), "db", T0).toBuilder()
          .lease("replica-a", T0.plusSeconds(300)).build();
      ledger.insert(e);
      assertTrue(ledger.claimDue("db", T0.plusSeconds(299), "replica-b", T0.plusSeconds(900),
          10).isEmpty());
      List<TeardownEntry> taken = ledger.claimDue("db", T0.plusSeconds(300), "replica-b",
          T0.plusSeconds(900), 10);
      assertEquals(1, taken.size());
      assertEquals("replica-b", taken.get(0).leaseOwner());
    }

    @Test
    @DisplayName("never claims a settled entry")
    void neverClaimsASettledEntry() {
      TeardownEntry e = pending(ended("alice", T0), "db", T0);
      ledger.insert(e);
      ledger.compareAndSet(e, verified(e, T0));
      assertTrue(ledger.claimDue("db", T0.plus(Duration.ofDays(9)), "replica-b",
          T0.plus(Duration.ofDays(10)), 10).isEmpty());
    }

    @Test
    @DisplayName("gives each entry to one of several racing claimers")
    void racingClaimersGetDisjointEntries() throws Exception {
      for (int i = 0; i < 400; i++) {
        ledger.insert(pending(ended("s" + i, T0), "db", T0));
      }
      AtomicInteger ids = new AtomicInteger();
      List<List<TeardownEntry>> claims = race(4, () -> {
        String owner = "replica-" + ids.incrementAndGet();
        List<TeardownEntry> mine = new ArrayList<>();
        List<TeardownEntry> got;
        do {
          got = ledger.claimDue("db", T0, owner, T0.plusSeconds(300), 7);
          mine.addAll(got);
        } while (!got.isEmpty() && mine.size() <= 400); // bounded, should a ledger re-lease
        return mine;
      });
      Set<String> seen = new HashSet<>();
      for (List<TeardownEntry> claim : claims) {
        for (TeardownEntry c : claim) {
          assertTrue(seen.add(c.grantId()), "claimed twice");
          assertEquals(c.leaseOwner(), ledger.get(c.grantId(), "db").leaseOwner());
        }
      }
      assertEquals(400, seen.size());
    }
  }

  @Nested
  @DisplayName("lingering")
  class Lingering {
    @Test
    @DisplayName("lists unsettled entries whose grant ended at or before the bound, oldest first")
    void listsUnsettledEntriesOldestFirst() {
      TeardownEntry old = pending(ended("old", T0), "db", T0);
      TeardownEntry older = pending(ended("older", T0.minusSeconds(60)), "db", T0);
      TeardownEntry recent = pending(ended("recent", T0.plusSeconds(600)), "db", T0);
      TeardownEntry done = pending(ended("done", T0.minusSeconds(120)), "db", T0);
      for (TeardownEntry e : List.of(old, older, recent, done)) {
        ledger.insert(e);
      }
      ledger.compareAndSet(done, verified(done, T0));
      List<TeardownEntry> lingering = ledger.lingering(T0, 10);
      assertEquals(List.of("older", "old"),
          lingering.stream().map(TeardownEntry::subject).toList());
      assertEquals(1, ledger.lingering(T0, 1).size());
      assertEquals("team-payments", lingering.get(0).owner());
    }
  }

  @Nested
  @DisplayName("deleteSettled")
  class DeleteSettled {
    @Test
    @DisplayName("deletes settled entries last written at or before the bound, never due ones")
    void deletesOnlyOldSettledEntries() {
      TeardownEntry due = pending(ended("due", T0), "db", T0);
      TeardownEntry settled = pending(ended("settled", T0), "db", T0);
      TeardownEntry fresh = pending(ended("fresh", T0), "db", T0);
      for (TeardownEntry e : List.of(due, settled, fresh)) {
        ledger.insert(e);
      }
      ledger.compareAndSet(settled, verified(settled, T0.plusSeconds(10)));
      ledger.compareAndSet(fresh, verified(fresh, T0.plusSeconds(100)));
      assertEquals(1, ledger.deleteSettled(T0.plusSeconds(50), 10));
      assertNull(ledger.get(settled.grantId(), "db"));
      assertNotNull(ledger.get(fresh.grantId(), "db"));
      assertNotNull(ledger.get(due.grantId(), "db"));
      assertEquals(1, ledger.deleteSettled(T0.plus(Duration.ofDays(1)), 10));
      assertNotNull(ledger.get(due.grantId(), "db"));
    }
  }
}
