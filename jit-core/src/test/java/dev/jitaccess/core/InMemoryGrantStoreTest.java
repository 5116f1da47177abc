package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InMemoryGrantStoreTest {
  final FakeClock clock = new FakeClock();
  final InMemoryGrantStore store = InMemoryGrantStore.builder().clock(clock).scheduler(clock)
      .retention(Duration.ofMinutes(1)).build();

  Grant grant(String id, String owner, String task) {
    Instant now = clock.instant();
    return Grant.builder().id(id).subject("subject").owner(owner).task(task)
        .purpose("purpose").scope(Scope.parse("read:a")).issuedAt(now)
        .expiresAt(now.plusSeconds(60)).notAfter(now.plusSeconds(120)).build();
  }

  static String id(int i) {
    return String.format("id%020d", i);
  }

  @Test
  void anEndedGrantCannotBeRevived() {
    Grant active = grant(id(1), "o", "t");
    store.insert(active);
    Grant revoked = active.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant());
    assertTrue(store.compareAndSet(active, revoked));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store.compareAndSet(revoked, active));
    assertEquals("expected.state must be ACTIVE: a REVOKED grant makes no further transition",
        e.getMessage());
    assertEquals(revoked, store.get(active.id()));
  }

  @Test
  void aStaleExpectationNeverOverwrites() {
    Grant active = grant(id(2), "o", "t");
    store.insert(active);
    Grant renewed = active.withExpiresAt(active.notAfter());
    assertTrue(store.compareAndSet(active, renewed));
    assertFalse(store.compareAndSet(active,
        active.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant())));
    assertEquals(renewed, store.get(active.id()));
  }

  @Test
  void duplicateIdsAreRejectedWhetherTheFirstIsActiveOrEnded() {
    Grant active = grant(id(3), "o", "t");
    store.insert(active);
    assertThrows(IllegalStateException.class, () -> store.insert(active));
    store.compareAndSet(active, active.end(GrantState.REVOKED, RevocationReason.MANUAL,
        clock.instant()));
    assertThrows(IllegalStateException.class, () -> store.insert(active));
  }

  @Test
  void aRefusedDuplicateLeavesNoIndexEntryBehind() {
    Grant first = grant(LiveGrantsTest.canonical(5, 6), "o", "task-a");
    store.insert(first);
    Grant impostor = grant(first.id(), "o", "task-b");
    assertThrows(IllegalStateException.class, () -> store.insert(impostor));
    assertEquals(List.of(), List.copyOf(store.findByTask("task-b")));
    assertEquals(List.of(first), List.copyOf(store.findByTask("task-a")));
    Grant foreign = grant(id(7), "o", "task-c");
    store.insert(foreign);
    assertThrows(IllegalStateException.class,
        () -> store.insert(grant(foreign.id(), "o", "task-d")));
    assertEquals(List.of(), List.copyOf(store.findByTask("task-d")));
  }

  /**
   * An ACTIVE and an ended grant with one id, inserted at once from two threads: exactly one
   * insert succeeds, for ids in the library's format and for any other.
   */
  @Test
  void racingInsertsOfOneIdAsActiveAndAsEndedLetExactlyOneIn() throws Exception {
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 2_000; round++) {
        String id = round % 2 == 0 ? LiveGrantsTest.canonical(round, 77) : id(100_000 + round);
        Grant active = grant(id, "o", "t-" + round);
        Grant ended = active.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant());
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
        java.util.concurrent.Callable<Boolean> first = () -> attempt(start, active);
        java.util.concurrent.Callable<Boolean> second = () -> attempt(start, ended);
        var a = pool.submit(first);
        var b = pool.submit(second);
        int accepted = (a.get() ? 1 : 0) + (b.get() ? 1 : 0);
        assertEquals(1, accepted, "round " + round);
        Grant stored = store.get(id);
        assertTrue(stored.equals(active) || stored.equals(ended));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private boolean attempt(java.util.concurrent.CyclicBarrier start, Grant grant)
      throws Exception {
    start.await();
    try {
      store.insert(grant);
      return true;
    } catch (IllegalStateException duplicate) {
      return false;
    }
  }

  @Test
  void anEndedGrantPastItsRetentionLeavesNoIndexEntryOnceEvicted() {
    InMemoryGrantStore none = InMemoryGrantStore.builder().clock(clock).scheduler(clock)
        .retention(Duration.ZERO).build();
    Grant old = grant(LiveGrantsTest.canonical(9, 9), "o", "t-old")
        .end(GrantState.EXPIRED, RevocationReason.EXPIRED, clock.instant());
    none.insert(old);
    assertNull(none.get(old.id()), "past its retention: unknown at once");
    clock.advance(Duration.ofSeconds(3)); // the retention cache evicts on ~1 s timer buckets
    none.cleanUp();
    assertEquals(0, none.size());
    assertEquals(0, none.indexedKeys());
  }

  @Test
  void theReferenceIndexIsBuiltOnTheFirstLookupAndDropsGrantsPastTheirRetention() {
    Grant before = grant(LiveGrantsTest.canonical(1, 1), "o", "t-1");
    store.insert(before);
    assertEquals(1, store.indexedKeys(), "its task only: no reference before a lookup asks for one");
    assertEquals(before, store.findByReference(before.reference()));
    assertEquals(2, store.indexedKeys(), "its task and its reference");
    Grant after = grant(LiveGrantsTest.canonical(2, 2), "o", "t-2");
    store.insert(after);
    assertEquals(4, store.indexedKeys(), "once built, every insert is indexed");
    assertEquals(after, store.findByReference(after.reference()));
    for (Grant g : List.of(before, after)) {
      assertTrue(store.compareAndSet(g, g.end(GrantState.REVOKED, RevocationReason.MANUAL,
          clock.instant())));
    }
    clock.advance(Duration.ofMinutes(2));
    store.cleanUp();
    assertNull(store.findByReference(before.reference()));
    assertNull(store.findByReference(after.reference()));
    assertEquals(0, store.indexedKeys(), "past the retention nothing is left in any index");
  }

  @Test
  void withZeroRetentionAnEndedGrantIsGoneAtOnce() {
    InMemoryGrantStore none = InMemoryGrantStore.builder().clock(clock).scheduler(clock)
        .retention(Duration.ZERO).build();
    Grant active = grant(id(4), "o", "t");
    none.insert(active);
    none.compareAndSet(active, active.end(GrantState.EXPIRED, RevocationReason.EXPIRED,
        clock.instant()));
    assertNull(none.get(active.id()));
    none.cleanUp();
    assertTrue(none.findByOwner("o").isEmpty());
  }

  @Test
  void indexesGrowFromOneIdToASetAndShrinkBack() {
    List<Grant> grants = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      Grant g = grant(id(100 + i), "team", "task-" + (i % 2));
      grants.add(g);
      store.insert(g);
    }
    assertEquals(50, store.findByOwner("team").size());
    assertEquals(25, store.findByTask("task-0").size());
    for (int i = 0; i < 49; i++) {
      Grant g = grants.get(i);
      store.compareAndSet(g, g.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant()));
    }
    clock.advance(Duration.ofMinutes(1).plusSeconds(2));
    store.cleanUp();
    Set<String> left = new HashSet<>();
    store.findByOwner("team").forEach(g -> left.add(g.id()));
    assertEquals(Set.of(id(149)), left);
    assertEquals(1, store.findByTask("task-1").size());
    assertTrue(store.findByTask("task-0").isEmpty());
    assertEquals(1, store.size());
  }

  @Test
  void rejectsArgumentsThatDoNotFit() {
    Grant a = grant(id(5), "o", "t");
    Grant b = grant(id(6), "o", "t");
    assertEquals("replacement.id must equal expected.id",
        assertThrows(IllegalArgumentException.class, () -> store.compareAndSet(a, b))
            .getMessage());
    assertThrows(NullPointerException.class, () -> store.insert(null));
    assertThrows(IllegalArgumentException.class,
        () -> InMemoryGrantStore.builder().retention(Duration.ofSeconds(-1)));
  }
}
