package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Scope;
import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.BundleState;
import dev.jitaccess.governance.spi.BundleStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link BundleStore#compareAndSet}, which {@link BundleStoreCompatibilityKit} runs
 * as a nested class: decided by name and version, once, every field replaced, and linearizable
 * under racing threads, also through two instances on one backend.
 */
abstract class BundleCompareAndSetChecks {
  /** How many changes each thread of the lost-update test makes. */
  private static final int CHANGES_PER_THREAD = 6;

  private final BundleStoreCompatibilityKit kit;

  BundleCompareAndSetChecks(BundleStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private BundleStore store() {
    return kit.store();
  }

  private Bundle inserted() {
    Bundle b = kit.bundles().active();
    store().insert(b);
    return b;
  }

  @Test
  @DisplayName("succeeds once from the stored snapshot, and get returns the new one")
  void succeedsOnceFromTheStoredSnapshot() {
    Bundle b = inserted();
    Bundle next = GovernanceBundles.reassigned(b, "owner-1");
    assertTrue(store().compareAndSet(b, next));
    assertEquals(next, store().get(b.name()));
    assertFalse(store().compareAndSet(b, GovernanceBundles.reassigned(b, "owner-2")),
        "the same snapshot a second time");
    assertEquals(next, store().get(b.name()));
  }

  @Test
  @DisplayName("fails from a stale snapshot and leaves the stored one alone")
  void failsFromAStaleSnapshot() {
    Bundle b = inserted();
    Bundle v1 = GovernanceBundles.reassigned(b, "owner-1");
    Bundle v2 = GovernanceBundles.reassigned(v1, "owner-2");
    assertTrue(store().compareAndSet(b, v1));
    assertTrue(store().compareAndSet(v1, v2));
    assertFalse(store().compareAndSet(b, GovernanceBundles.ended(b, BundleState.REVOKED,
        kit.bundles().now())), "version 0 is two changes behind");
    assertFalse(store().compareAndSet(v1, GovernanceBundles.reassigned(v1, "owner-3")),
        "version 1 is one change behind");
    assertEquals(v2, store().get(b.name()));
  }

  @Test
  @DisplayName("refuses a next that is not the next version of the same bundle, and stores "
      + "nothing")
  void refusesANextThatIsNotTheNextVersion() {
    Bundle b = inserted();
    Bundle other = inserted();
    Bundle next = GovernanceBundles.reassigned(b, "owner-1");
    List<Bundle> wrong = List.of(
        GovernanceBundles.atVersion(next, b.version()),
        GovernanceBundles.atVersion(next, b.version() + 2),
        GovernanceBundles.reassigned(other, "owner-1"),
        GovernanceBundles.renamed(next, other.name()));
    for (Bundle n : wrong) {
      assertThrows(IllegalArgumentException.class, () -> store().compareAndSet(b, n),
          n.toString());
    }
    assertEquals(b, store().get(b.name()));
    assertEquals(other, store().get(other.name()));
  }

  @Test
  @DisplayName("fails for a bundle it does not hold, and stores nothing")
  void failsForAnUnknownBundle() {
    Bundle b = kit.bundles().active();
    assertFalse(store().compareAndSet(b, GovernanceBundles.reassigned(b, "owner-1")));
    assertNull(store().get(b.name()));
    assertEquals(List.of(), store().bundles());
  }

  @Test
  @DisplayName("replaces every field: reassigned, then ended or revoked with when, each step "
      + "returned by get")
  void replacesEveryField() {
    for (BundleState end : List.of(BundleState.ENDED, BundleState.REVOKED)) {
      Bundle b = inserted();
      Instant at = kit.bundles().now().plusNanos(end.ordinal());
      Bundle reassigned = GovernanceBundles.reassigned(b, KitSupport.unique("fallback"));
      Bundle widened = new Bundle(b.name(), reassigned.owner(), "another-approver",
          Scope.parse("read:orders/**", "read:invoices/*"), "HIGH", b.startsAt().minusNanos(1),
          b.endsAt().plusNanos(1), b.createdAt(), BundleState.ACTIVE, null, 2);
      Bundle ended = GovernanceBundles.ended(widened, end, at);
      Bundle current = b;
      for (Bundle next : List.of(reassigned, widened, ended)) {
        assertTrue(store().compareAndSet(current, next), "to version " + next.version());
        assertEquals(next, store().get(b.name()), "version " + next.version());
        current = next;
      }
    }
  }

  @Test
  @DisplayName("of racing calls from one snapshot by many threads, exactly one wins")
  void exactlyOneRacingCallWins() {
    for (int round = 0; round < BundleStoreCompatibilityKit.ROUNDS; round++) {
      Bundle b = inserted();
      CyclicBarrier start = new CyclicBarrier(BundleStoreCompatibilityKit.THREADS);
      List<Callable<Bundle>> racers = new ArrayList<>();
      for (int t = 0; t < BundleStoreCompatibilityKit.THREADS; t++) {
        Bundle next = t % 2 == 0 ? GovernanceBundles.reassigned(b, "racer-" + t)
            : GovernanceBundles.ended(b, BundleState.ENDED, kit.bundles().now().plusNanos(t));
        racers.add(() -> {
          start.await();
          return store().compareAndSet(b, next) ? next : null;
        });
      }
      assertOneWinner(round, b, KitSupport.runConcurrently(racers));
    }
  }

  private void assertOneWinner(int round, Bundle b, List<Bundle> results) {
    List<Bundle> winners = new ArrayList<>();
    for (Bundle result : results) {
      if (result != null) {
        winners.add(result);
      }
    }
    assertEquals(1, winners.size(), "round " + round + ": winners " + winners);
    assertEquals(winners.get(0), store().get(b.name()),
        "round " + round + ": get must return the winner's snapshot");
  }

  @Test
  @DisplayName("no change is lost while many threads change one bundle, each retrying from what "
      + "it read")
  void noChangeIsLostUnderRacingChanges() {
    Bundle b = inserted();
    CyclicBarrier start = new CyclicBarrier(BundleStoreCompatibilityKit.THREADS);
    List<Callable<Integer>> changers = new ArrayList<>();
    for (int t = 0; t < BundleStoreCompatibilityKit.THREADS; t++) {
      String owner = "owner-" + t;
      changers.add(() -> {
        start.await();
        int retries = 0;
        for (int c = 0; c < CHANGES_PER_THREAD; c++) {
          while (true) {
            Bundle current = store().get(b.name());
            assertNotNull(current, "the bundle vanished");
            if (store().compareAndSet(current,
                GovernanceBundles.reassigned(current, owner + "/" + c))) {
              break;
            }
            retries++;
          }
        }
        return retries;
      });
    }
    KitSupport.runConcurrently(changers);
    Bundle last = store().get(b.name());
    assertNotNull(last);
    assertEquals(BundleStoreCompatibilityKit.THREADS * CHANGES_PER_THREAD, last.version(),
        "one version per successful compareAndSet");
    assertTrue(last.owner().endsWith("/" + (CHANGES_PER_THREAD - 1)), last.owner());
  }

  @Test
  @DisplayName("of racing calls from one snapshot through two instances on one backend, exactly "
      + "one wins, and each instance reads the other's change")
  void exactlyOneCallRacingThroughTwoInstancesWins() {
    BundleStore replica = kit.replica();
    Bundle seen = inserted();
    assertEquals(seen, replica.get(seen.name()), "the replica reads the insert");
    for (int round = 0; round < BundleStoreCompatibilityKit.ROUNDS / 4; round++) {
      Bundle b = store().get(seen.name());
      CyclicBarrier start = new CyclicBarrier(BundleStoreCompatibilityKit.THREADS);
      List<Callable<Bundle>> racers = new ArrayList<>();
      for (int t = 0; t < BundleStoreCompatibilityKit.THREADS; t++) {
        BundleStore through = t % 2 == 0 ? store() : replica;
        Bundle next = GovernanceBundles.reassigned(b, "racer-" + t);
        racers.add(() -> {
          start.await();
          return through.compareAndSet(b, next) ? next : null;
        });
      }
      assertOneWinner(round, b, KitSupport.runConcurrently(racers));
      assertEquals(store().get(b.name()), replica.get(b.name()), "round " + round);
    }
  }
}
