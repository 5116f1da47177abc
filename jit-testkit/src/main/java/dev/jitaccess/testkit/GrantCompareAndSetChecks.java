package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of compareAndSet: a transition wins only on the version it read, which {@link GrantStoreCompatibilityKit} runs as a nested class.
 */
abstract class GrantCompareAndSetChecks extends GrantStoreChecks {
  GrantCompareAndSetChecks(GrantStoreCompatibilityKit kit) {
    super(kit);
  }

  @Test
  @DisplayName("replaces the snapshot when the expected one equals the stored one")
  void replacesOnEqualExpected() {
    Grant grant = newGrant();
    store().insert(grant);
    Grant renewed = grant.withExpiresAt(grant.expiresAt().plus(Duration.ofMinutes(5)));
    assertTrue(store().compareAndSet(grant, renewed));
    assertEquals(renewed, store().get(grant.id()));
  }

  @Test
  @DisplayName("compares by value: an equal copy of the stored snapshot is a match")
  void comparesByValue() {
    Grant grant = newGrant();
    store().insert(grant);
    Grant copy = Grant.builder().id(grant.id()).subject(grant.subject())
        .owner(grant.owner()).task(grant.task()).purpose(grant.purpose())
        .scope(Scope.parse(grant.scope().toString())).issuedAt(grant.issuedAt())
        .expiresAt(grant.expiresAt()).notAfter(grant.notAfter()).parentId(grant.parentId())
        .useBudget(grant.useBudget()).usesConsumed(grant.usesConsumed())
        .state(grant.state(), grant.endReason(), grant.endedAt()).build();
    Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
    assertTrue(store().compareAndSet(copy, revoked));
    assertLatest(revoked, "get after compareAndSet");
  }

  @Test
  @DisplayName("refuses a stale expected snapshot and leaves the stored one alone")
  void refusesAStaleExpected() {
    Grant grant = newGrantWithBudget(10);
    store().insert(grant);
    Grant first = grant.withUsesConsumed(1);
    assertTrue(store().compareAndSet(grant, first));
    Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
    assertFalse(store().compareAndSet(grant, revoked), "expected was stale");
    assertEquals(first, store().get(grant.id()));
  }

  @Test
  @DisplayName("refuses an expected snapshot that differs from the stored one only in its expiry")
  void refusesAnExpectedThatDiffersOnlyInItsExpiry() {
    Grant grant = newGrant();
    store().insert(grant);
    Grant renewed = grant.withExpiresAt(grant.expiresAt().plus(Duration.ofMinutes(5)));
    assertTrue(store().compareAndSet(grant, renewed));
    Grant lostUpdate = grant.withExpiresAt(grant.expiresAt().plus(Duration.ofMinutes(20)));
    assertFalse(store().compareAndSet(grant, lostUpdate), "expected was the pre-renewal grant");
    assertEquals(renewed, store().get(grant.id()));
  }

  @Test
  @DisplayName("refuses for a grant it does not hold and stores nothing")
  void refusesForAnUnknownGrant() {
    Grant grant = newGrant();
    Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
    assertFalse(store().compareAndSet(grant, revoked));
    assertNull(store().get(grant.id()));
  }

  @Test
  @DisplayName("get returns the result of the latest compareAndSet, every time")
  void getReturnsTheLatestResult() {
    Grant current = newGrantWithBudget(50);
    store().insert(current);
    for (int i = 1; i < 50; i++) {
      Grant next = current.withUsesConsumed(i);
      assertTrue(store().compareAndSet(current, next), "step " + i);
      assertEquals(next, store().get(current.id()), "step " + i);
      assertEquals(next, store().getLatest(current.id()), "getLatest, step " + i);
      current = next;
    }
    Grant ended = current.end(GrantState.EXHAUSTED, RevocationReason.EXHAUSTED,
        clock().instant());
    assertTrue(store().compareAndSet(current, ended));
    assertLatest(ended, "get after the grant ended");
    assertEquals(store().get(ended.id()), store().getLatest(ended.id()),
        "getLatest after the grant ended: as get (a store without retention holds it no more)");
    assertNull(store().getLatest(KitSupport.newId()), "getLatest of an unknown id");
  }

  @Test
  @DisplayName("another thread's get returns the result of the latest compareAndSet too")
  void anotherThreadSeesTheLatestResult() throws Exception {
    Grant current = newGrantWithBudget(50);
    store().insert(current);
    java.util.concurrent.ExecutorService reader =
        java.util.concurrent.Executors.newSingleThreadExecutor();
    try {
      String id = current.id();
      for (int i = 1; i < 50; i++) {
        // The reader has read the previous snapshot; a cache it keeps must not answer now.
        assertEquals(current, reader.submit(() -> store().get(id)).get(), "before step " + i);
        Grant next = current.withUsesConsumed(i);
        assertTrue(store().compareAndSet(current, next), "step " + i);
        current = next;
        assertEquals(current, reader.submit(() -> store().get(id)).get(), "after step " + i);
      }
    } finally {
      reader.shutdownNow();
    }
  }

  @Test
  @DisplayName("of racing calls with the same expected snapshot exactly one wins")
  void exactlyOneRacingCallWins() {
    for (int round = 0; round < ROUNDS; round++) {
      Grant grant = newGrantWithBudget(THREADS + 1);
      store().insert(grant);
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Callable<Grant>> racers = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        Grant replacement = grant.withUsesConsumed(t + 1);
        racers.add(() -> {
          start.await();
          return store().compareAndSet(grant, replacement) ? replacement : null;
        });
      }
      List<Grant> winners = new ArrayList<>();
      for (Grant result : KitSupport.runConcurrently(racers)) {
        if (result != null) {
          winners.add(result);
        }
      }
      assertEquals(1, winners.size(), "round " + round + ": winners " + winners);
      assertEquals(winners.get(0), store().get(grant.id()),
          "round " + round + ": get must return the winner's snapshot");
    }
  }
}
