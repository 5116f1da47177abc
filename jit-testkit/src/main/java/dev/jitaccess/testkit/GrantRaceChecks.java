package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of racing transitions: exactly one wins, no use is lost, which {@link GrantStoreCompatibilityKit} runs as a nested class.
 */
abstract class GrantRaceChecks extends GrantStoreChecks {
  GrantRaceChecks(GrantStoreCompatibilityKit kit) {
    super(kit);
  }

  @Test
  @DisplayName("no revocation is lost while other threads spend uses")
  void noRevocationIsLost() {
    int rounds = Math.max(1, ROUNDS / 4);
    for (int round = 0; round < rounds; round++) {
      raceRevocationsAgainstUses(round);
    }
  }

  private void raceRevocationsAgainstUses(int round) {
    Grant grant = newGrantWithBudget(1_000_000);
    store().insert(grant);
    String id = grant.id();
    List<RevocationReason> reasons = List.of(RevocationReason.MANUAL, RevocationReason.ANOMALY);
    int spenders = THREADS - reasons.size();
    LongAdder spends = new LongAdder();
    AtomicInteger spendersDone = new AtomicInteger();
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Callable<@Nullable RevocationReason>> threads = new ArrayList<>();
    for (RevocationReason reason : reasons) {
      threads.add(() -> {
        start.await();
        while (spends.sum() < 5 && spendersDone.get() < spenders) {
          Thread.onSpinWait(); // let the spenders get going so that the race is real
        }
        int attemptsAfterSpenders = 0;
        while (true) {
          Grant current = store().get(id);
          if (current == null || !current.isActive()) {
            return null;
          }
          if (store().compareAndSet(current,
              current.end(GrantState.REVOKED, reason, clock().instant()))) {
            return reason;
          }
          if (spendersDone.get() == spenders && ++attemptsAfterSpenders > 10_000) {
            return null; // nobody competes any more, yet it never succeeds
          }
        }
      });
    }
    for (int t = 0; t < spenders; t++) {
      threads.add(() -> {
        start.await();
        try {
          for (int attempt = 0; attempt < 20_000; attempt++) {
            Grant current = store().get(id);
            if (current == null || !current.isActive()) {
              return null;
            }
            if (store().compareAndSet(current,
                current.withUsesConsumed(current.usesConsumed() + 1))) {
              spends.increment();
            }
          }
          return null;
        } finally {
          spendersDone.incrementAndGet();
        }
      });
    }
    List<RevocationReason> results = new ArrayList<>();
    for (RevocationReason r : KitSupport.runConcurrently(threads)) {
      if (r != null) {
        results.add(r);
      }
    }
    Grant last = store().get(id);
    if (last == null) {
      // Deleted, which a store may do only once the grant has ended: the revocation won.
      assertEquals(1, results.size(), "round " + round + ": the grant vanished after "
          + results.size() + " successful revocation(s)");
      return;
    }
    assertEquals(GrantState.REVOKED, last.state(), "round " + round
        + ": the revocation was lost, the final state is " + last.state() + " after "
        + results.size() + " successful revocation(s)");
    assertEquals(1, results.size(), "round " + round + ": revocations that won " + results);
    assertEquals(results.get(0), last.endReason(), "round " + round + ": the winner's reason");
    assertEquals(spends.sum(), last.usesConsumed(),
        "round " + round + ": uses spent must equal successful compareAndSets");
  }
}
