package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.spi.BreakGlassLock;
import dev.jitaccess.governance.spi.GovernanceStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link GovernanceStore#lock}, {@link GovernanceStore#lockOf} and {@link
 * GovernanceStore#unlock}, which {@link GovernanceStoreCompatibilityKit} runs as a nested class:
 * one lock per subject, every field kept, removed only by itself, and exactly one of racing calls
 * wins.
 */
abstract class BreakGlassLockChecks {
  private final GovernanceStoreCompatibilityKit kit;

  BreakGlassLockChecks(GovernanceStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private GovernanceStore store() {
    return kit.store();
  }

  private BreakGlassLock lockOf(String subject, String owner) {
    return new BreakGlassLock(subject, owner, GovernanceRequests.newId(),
        kit.requests().now().plusNanos(1));
  }

  private BreakGlassLock newLock() {
    return lockOf(KitSupport.unique("subject"), KitSupport.unique("owner"));
  }

  @Test
  @DisplayName("locks once: a second lock of the same subject returns false and keeps the first")
  void locksOnce() {
    BreakGlassLock first = newLock();
    assertTrue(store().lock(first));
    BreakGlassLock second = lockOf(first.subject(), "another-owner");
    assertFalse(store().lock(second));
    assertFalse(store().lock(first), "the same lock again");
    assertEquals(Optional.of(first), store().lockOf(first.subject()));
  }

  @Test
  @DisplayName("lockOf returns the lock with every field exact, and nothing for another subject")
  void lockOfReturnsTheLockExactly() {
    Instant at = Instant.ofEpochSecond(kit.requests().now().getEpochSecond(), 999_999_999);
    BreakGlassLock lock = new BreakGlassLock(
        GovernanceRequests.longText(KitSupport.unique("subject"), GovernanceRequests.MAX_NAME),
        GovernanceRequests.longText("owner", GovernanceRequests.MAX_NAME),
        GovernanceRequests.newId(), at);
    BreakGlassLock other = newLock();
    assertTrue(store().lock(lock));
    assertTrue(store().lock(other));
    assertEquals(Optional.of(lock), store().lockOf(lock.subject()));
    assertEquals(Optional.of(other), store().lockOf(other.subject()));
    assertEquals(Optional.empty(), store().lockOf(KitSupport.unique("subject")));
    assertEquals(Optional.empty(), store().lockOf(lock.subject().toUpperCase(Locale.ROOT)));
  }

  @Test
  @DisplayName("unlock removes only the same lock, once, and the subject can be locked again")
  void unlockRemovesOnlyTheSameLock() {
    BreakGlassLock lock = newLock();
    assertTrue(store().lock(lock));
    List<BreakGlassLock> others = List.of(
        new BreakGlassLock(lock.subject(), "another-owner", lock.requestId(), lock.lockedAt()),
        new BreakGlassLock(lock.subject(), lock.owner(), GovernanceRequests.newId(),
            lock.lockedAt()),
        new BreakGlassLock(lock.subject(), lock.owner(), lock.requestId(),
            lock.lockedAt().plusNanos(1)),
        new BreakGlassLock(KitSupport.unique("subject"), lock.owner(), lock.requestId(),
            lock.lockedAt()));
    for (BreakGlassLock other : others) {
      assertFalse(store().unlock(other), "another lock: " + other);
      assertEquals(Optional.of(lock), store().lockOf(lock.subject()));
    }
    assertTrue(store().unlock(lock));
    assertEquals(Optional.empty(), store().lockOf(lock.subject()));
    assertFalse(store().unlock(lock), "a second time");
    BreakGlassLock again = lockOf(lock.subject(), "new-owner");
    assertTrue(store().lock(again));
    assertFalse(store().unlock(lock), "the old lock does not remove the new one");
    assertEquals(Optional.of(again), store().lockOf(lock.subject()));
  }

  @Test
  @DisplayName("of racing locks of one subject by many threads, exactly one wins")
  void exactlyOneRacingLockWins() {
    for (int round = 0; round < GovernanceStoreCompatibilityKit.ROUNDS; round++) {
      String subject = KitSupport.unique("subject");
      CyclicBarrier start = new CyclicBarrier(GovernanceStoreCompatibilityKit.THREADS);
      List<Callable<BreakGlassLock>> racers = new ArrayList<>();
      for (int t = 0; t < GovernanceStoreCompatibilityKit.THREADS; t++) {
        BreakGlassLock lock = lockOf(subject, "owner-" + t);
        racers.add(() -> {
          start.await();
          return store().lock(lock) ? lock : null;
        });
      }
      List<BreakGlassLock> winners = new ArrayList<>();
      for (BreakGlassLock result : KitSupport.runConcurrently(racers)) {
        if (result != null) {
          winners.add(result);
        }
      }
      assertEquals(1, winners.size(), "round " + round + ": winners " + winners);
      assertEquals(Optional.of(winners.get(0)), store().lockOf(subject), "round " + round);
    }
  }

  @Test
  @DisplayName("of racing unlocks of one lock by many threads, exactly one wins")
  void exactlyOneRacingUnlockWins() {
    for (int round = 0; round < GovernanceStoreCompatibilityKit.ROUNDS / 4; round++) {
      BreakGlassLock lock = newLock();
      assertTrue(store().lock(lock));
      CyclicBarrier start = new CyclicBarrier(GovernanceStoreCompatibilityKit.THREADS);
      List<Callable<Boolean>> racers = new ArrayList<>();
      for (int t = 0; t < GovernanceStoreCompatibilityKit.THREADS; t++) {
        racers.add(() -> {
          start.await();
          return store().unlock(lock);
        });
      }
      long won = KitSupport.runConcurrently(racers).stream().filter(b -> b).count();
      assertEquals(1, won, "round " + round);
      assertEquals(Optional.empty(), store().lockOf(lock.subject()), "round " + round);
    }
  }
}
