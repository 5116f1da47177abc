package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.RevocationReason;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Checks racing one revocation, round after round: counts the checks that allowed before {@code
 * revoke()} returned and those that allowed after, which must be none.
 */
final class RevocationRace {
  private final AtomicLong allowsAfterRevoke = new AtomicLong();
  private final AtomicLong allowsBefore = new AtomicLong();

  /**
   * One round: {@code checkers} threads check {@code ids} in turn ({@code read} on {@code
   * orders/1}) while one more thread revokes {@code revokedId}; returns when all are done.
   */
  void round(ExecutorService pool, int checkers, JitAccess jit, String[] ids, String revokedId)
      throws Exception {
    AtomicBoolean revoked = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(checkers);
    List<Future<?>> tasks = new ArrayList<>();
    for (int t = 0; t < checkers; t++) {
      int offset = t;
      tasks.add(pool.submit(() -> {
        started.countDown();
        for (int i = 0; i < 5_000; i++) {
          boolean revokedBefore = revoked.get(); // read before the check: happens-before edge
          boolean allowed = jit.check(ids[(i + offset) % ids.length], "read", "orders/1")
              .isAllowed();
          if (allowed && revokedBefore) {
            allowsAfterRevoke.incrementAndGet();
          } else if (allowed) {
            allowsBefore.incrementAndGet();
          }
        }
      }));
    }
    tasks.add(pool.submit(() -> {
      started.await();
      jit.revoke(revokedId, RevocationReason.ANOMALY);
      revoked.set(true); // set only after revoke() returned
      return null;
    }));
    for (Future<?> task : tasks) {
      task.get(60, TimeUnit.SECONDS);
    }
  }

  /** No check allowed after a revoke returned, and some allowed before (the race happened). */
  void assertNoAllowAfterRevoke() {
    assertEquals(0, allowsAfterRevoke.get());
    assertTrue(allowsBefore.get() > 0, "the checks must have overlapped the revocation");
  }
}
