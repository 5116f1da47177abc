package dev.jitaccess.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.testkit.time.FakeClock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two grants of one subject that share an entitlement, ended at once on two threads, with their
 * entries worked in parallel: never both RETAINED; the entitlement is removed every time.
 */
class SharedEntitlementRaceTest {
  private static final int ROUNDS = 300;

  @Test
  void twoGrantsOfOneSubjectEndingAtOnceAreNeverBothRetainedAndTheEntitlementIsRemoved()
      throws Exception {
    Map<TeardownState, Integer> seen = new EnumMap<>(TeardownState.class);
    ExecutorService enders = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < ROUNDS; round++) {
        FakeClock clock = new FakeClock();
        ScriptedDownstream db = new ScriptedDownstream("db", clock)
            .entitlement(g -> Optional.of("role:payments-writer"));
        ExecutorService lane = Executors.newFixedThreadPool(2);
        DownstreamOptions parallel = DownstreamOptions.builder().executor(lane).concurrency(2)
            .build();
        try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db),
            b -> b.downstream(db, parallel))) {
          Grant first = rig.grant("alice");
          Grant second = rig.grant("alice");
          CountDownLatch start = new CountDownLatch(1);
          List<java.util.concurrent.Future<Boolean>> ends = new ArrayList<>();
          for (Grant g : List.of(first, second)) {
            ends.add(enders.submit(() -> {
              start.await();
              return rig.jit.revoke(g.id(), RevocationReason.TASK_COMPLETED);
            }));
          }
          start.countDown();
          for (java.util.concurrent.Future<Boolean> end : ends) {
            assertTrue(end.get(30, TimeUnit.SECONDS));
          }
          lane.shutdown(); // every attempt was handed over before revoke returned
          assertTrue(lane.awaitTermination(30, TimeUnit.SECONDS));

          TeardownState a = rig.entry(first, "db").state();
          TeardownState b = rig.entry(second, "db").state();
          assertFalse(a == TeardownState.RETAINED && b == TeardownState.RETAINED,
              "round " + round + ": both RETAINED");
          assertTrue(a == TeardownState.VERIFIED || b == TeardownState.VERIFIED,
              "round " + round + ": " + a + ", " + b);
          assertTrue(db.revokes() >= 1, "round " + round + ": the role was never removed");
          seen.merge(a, 1, Integer::sum);
          seen.merge(b, 1, Integer::sum);
        } finally {
          lane.shutdownNow();
        }
      }
    } finally {
      enders.shutdownNow();
    }
    assertEquals(2 * ROUNDS, seen.values().stream().mapToInt(Integer::intValue).sum());
  }
}
