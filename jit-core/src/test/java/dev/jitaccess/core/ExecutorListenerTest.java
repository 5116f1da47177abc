package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A listener on an executor of its own neither delays revoke() nor other grants' reports. */
class ExecutorListenerTest {

  @Test
  void aBlockedListenerOnItsOwnExecutorDelaysNeitherRevokeNorExpiryNorOtherListeners()
      throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    List<String> slowHeard = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    ExecutorService own = Executors.newSingleThreadExecutor();
    try {
      Fixture f = new Fixture(b -> b.listener((grant, reason) -> {
        threads.add(Thread.currentThread().getName());
        entered.countDown();
        try {
          release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        slowHeard.add(reason.code());
      }, own));
      Grant first = f.grant();
      Grant second = f.grant();
      assertTrue(f.jit.revoke(first.id(), RevocationReason.MANUAL), "revoke() returned");
      assertTrue(entered.await(30, TimeUnit.SECONDS), "the slow listener runs");
      assertFalse(f.jit.check(first.id(), "read", "orders/1").isAllowed());
      // While the slow listener is blocked, another grant expires and is reported at once.
      f.clock.advance(Duration.ofMinutes(5));
      assertEquals(List.of(RevocationReason.EXPIRED), f.endReasonsFor(second.id()),
          "the inline listener heard the expiry while the slow one was blocked");
      assertTrue(slowHeard.isEmpty());
      release.countDown();
      own.shutdown();
      assertTrue(own.awaitTermination(30, TimeUnit.SECONDS));
      assertEquals(List.of("MANUAL", "EXPIRED"), slowHeard, "in the order the grants ended");
      assertNotEquals(Thread.currentThread().getName(), threads.get(0));
    } finally {
      release.countDown();
      own.shutdownNow();
    }
  }

  @Test
  void aRejectingExecutorLosesOnlyThatListenersCallNotTheRevocation() {
    Fixture f = new Fixture(b -> b.listener((grant, reason) -> { }, task -> {
      throw new RejectedExecutionException("full");
    }));
    Grant grant = f.grant();
    assertTrue(f.jit.revoke(grant.id(), RevocationReason.MANUAL));
    assertEquals(List.of(RevocationReason.MANUAL), f.endReasonsFor(grant.id()));
    assertFalse(f.jit.check(grant.id(), "read", "orders/1").isAllowed());
  }
}
