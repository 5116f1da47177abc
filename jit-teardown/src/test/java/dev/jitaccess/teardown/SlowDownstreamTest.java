package dev.jitaccess.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationListener;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A downstream or listener that blocks (held on a latch, as a 2 s call would be) neither delays
 * {@code revoke()} nor the reports of other grants' ends.
 */
class SlowDownstreamTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void revokeReturnsAndOtherGrantsAreReportedAndTornDownWhileADownstreamIsBlocked()
      throws Exception {
    ScriptedDownstream slow = new ScriptedDownstream("slow-saas", clock)
        .answers(ScriptedDownstream.Answer.HANG);
    ScriptedDownstream fast = new ScriptedDownstream("iam", clock);
    // Each downstream on its own threads (the default executor), as in production.
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(slow, fast),
        b -> b.downstream(slow, DownstreamOptions.builder().timeout(Duration.ofSeconds(60))
            .build()).downstream(fast, DownstreamOptions.builder()
            .timeout(Duration.ofSeconds(60)).build()).lease(Duration.ofMinutes(5)))) {
      Grant first = rig.grant("alice");
      Grant second = rig.grant("bob");
      rig.jit.revoke(first.id(), RevocationReason.TASK_COMPLETED); // returns: nothing waits
      assertTrue(slow.hanging.await(30, TimeUnit.SECONDS), "the slow downstream is blocked");

      rig.jit.revoke(second.id(), RevocationReason.TASK_COMPLETED);
      rig.awaitEvent(dev.jitaccess.AuditEventType.TEARDOWN_VERIFIED, first);
      rig.awaitEvent(dev.jitaccess.AuditEventType.TEARDOWN_VERIFIED, second);
      assertEquals(TeardownState.VERIFIED, rig.entry(first, "iam").state(),
          "the other downstream is not held behind the blocked one");
      assertEquals(TeardownState.VERIFIED, rig.entry(second, "iam").state());
      assertEquals(TeardownState.PENDING, rig.entry(first, "slow-saas").state(),
          "still blocked");
      slow.release.countDown();
      rig.log.await(e -> e.type() == dev.jitaccess.AuditEventType.TEARDOWN_VERIFIED
          && e.concerns(first.id()) && "slow-saas".equals(e.resource()), 1);
    }
  }

  @Test
  void aBlockedListenerOnItsOwnExecutorDelaysNeitherRevokeNorOtherGrantsExpiryReports()
      throws Exception {
    CountDownLatch blocked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    RevocationListener slowListener = (grant, reason) -> {
      blocked.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
    List<String> reported = new CopyOnWriteArrayList<>();
    ExecutorService slowExecutor = Executors.newSingleThreadExecutor();
    InMemoryGrantStore store = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    try (JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).store(store)
        .listener(slowListener, slowExecutor)
        .listener((grant, reason) -> reported.add(grant.reference() + " " + reason)).build()) {
      Grant revoked = request(jit, "alice", Duration.ofMinutes(30));
      Grant expiring = request(jit, "bob", Duration.ofMinutes(1));
      jit.revoke(revoked.id(), RevocationReason.MANUAL); // returns while the listener blocks
      assertTrue(blocked.await(30, TimeUnit.SECONDS));

      clock.advance(Duration.ofMinutes(1)); // the expiry thread is not held by the listener
      assertEquals(List.of(revoked.reference() + " MANUAL", expiring.reference() + " EXPIRED"),
          reported);
      assertEquals(1, release.getCount(), "the slow listener is still blocked");
    } finally {
      release.countDown();
      slowExecutor.shutdown();
      assertTrue(slowExecutor.awaitTermination(30, TimeUnit.SECONDS));
    }
  }

  private static Grant request(JitAccess jit, String subject, Duration ttl) {
    return jit.request(GrantRequest.builder().subject(subject).owner("team-payments")
        .task("task-" + subject).purpose("p").scope("read:db/orders").ttl(Ttl.of(ttl)).build());
  }
}
