package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantReference;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.spi.GrantStore;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of {@link GrantStore#findByReference}, which {@link GrantStoreCompatibilityKit} runs
 * as a nested class: the grant as stored now, nothing for an unknown reference, and every grant
 * whose insert returned, also while the first lookups race inserts.
 */
abstract class ReferenceChecks {
  private final GrantStoreCompatibilityKit kit;

  ReferenceChecks(GrantStoreCompatibilityKit kit) {
    this.kit = kit;
  }

  private Grant newGrant() {
    return kit.newGrant(KitSupport.unique("subject"), KitSupport.unique("owner"),
        KitSupport.unique("task"), null, OptionalLong.empty());
  }

    @Test
    @DisplayName("find by reference returns the grant, its latest snapshot, and nothing else")
    void findsByReference() {
      Grant a = newGrant();
      Grant b = newGrant();
      kit.store().insert(a);
      kit.store().insert(b);
      assertEquals(a, kit.store().findByReference(a.reference()), "a");
      assertEquals(b, kit.store().findByReference(b.reference()), "b");
      assertNull(kit.store().findByReference(GrantReference.of(KitSupport.newId())), "unknown");
      Grant revoked = a.end(GrantState.REVOKED, RevocationReason.MANUAL, kit.clock().instant());
      assertTrue(kit.store().compareAndSet(a, revoked));
      if (kit.store().get(a.id()) != null) {
        assertEquals(revoked, kit.store().findByReference(a.reference()),
            "an ended grant the store still holds is found by its reference, as it is now");
      }
    }

    @Test
    @DisplayName("find by reference sees every grant whose insert returned before it began")
    void findByReferenceSeesEveryEarlierInsert() {
      for (int i = 0; i < 100; i++) {
        Grant g = newGrant();
        kit.store().insert(g);
        Grant found = kit.store().findByReference(g.reference());
        assertEquals(g.id(), found == null ? null : found.id(), "insert " + i);
      }
    }

    @Test
    @DisplayName("find by reference sees grants inserted while the first lookups run")
    void findByReferenceSeesRacingInserts() {
      CyclicBarrier start = new CyclicBarrier(GrantStoreCompatibilityKit.THREADS);
      List<Callable<Integer>> workers = new ArrayList<>();
      for (int t = 0; t < GrantStoreCompatibilityKit.THREADS; t++) {
        workers.add(() -> {
          start.await();
          int missed = 0;
          for (int i = 0; i < 200; i++) {
            Grant g = newGrant();
            kit.store().insert(g);
            Grant found = kit.store().findByReference(g.reference());
            if (found == null || !found.id().equals(g.id())) {
              missed++;
            }
          }
          return missed;
        });
      }
      for (int missed : KitSupport.runConcurrently(workers)) {
        assertEquals(0, missed, "grants not found by their reference right after their insert");
      }
    }
}
