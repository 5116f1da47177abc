package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A grant stored by a request that a revocation then overtook: it is ended as NOT_ISSUED, its
 * counter and held reports are dropped, and uses it took from a parent go back.
 */
class AbandonedPublicationTest {
  final AtomicBoolean hold = new AtomicBoolean();
  final CountDownLatch inserting = new CountDownLatch(1);
  final CountDownLatch release = new CountDownLatch(1);
  /** On a clock of its own at the fixture's start, so that ended grants stay for a while. */
  final InMemoryGrantStore backing =
      InMemoryGrantStore.builder().clock(new dev.jitaccess.testkit.time.FakeClock()).build();
  final Fixture f = new Fixture(b -> b.allowedChecks(AllowedCheckAudit.COUNT)
      .store(new ForwardingGrantStore(backing) {
        @Override
        public void insert(Grant grant) {
          if (hold.get()) {
            inserting.countDown();
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          super.insert(grant);
        }
      }));
  final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  @Test
  void anOvertakenDelegationGivesItsUsesBackAndLeavesNoCounter() throws Exception {
    Grant parent = f.jit.request(Fixture.request().task("parent-task").useBudget(10).build());
    hold.set(true);
    Future<Grant> delegation = pool.submit(() -> f.jit.delegate(parent.id(),
        DelegationRequest.builder().subject("agent").task("child-task")
            .scope(Scope.parse("read:orders/1")).ttl(Ttl.of(Duration.ofMinutes(1)))
            .useBudget(3).build()));
    assertTrue(inserting.await(10, TimeUnit.SECONDS));
    assertEquals(OptionalLong.of(7),
        f.jit.grant(parent.id()).orElseThrow().usesRemaining(), "moved while in flight");
    f.jit.revokeTask("child-task", RevocationReason.MANUAL);
    release.countDown();
    Exception e = assertThrows(Exception.class, () -> delegation.get(10, TimeUnit.SECONDS));
    assertEquals("TASK_ENDED", ((GrantDeniedException) e.getCause()).reason());
    assertEquals(OptionalLong.of(10), f.jit.grant(parent.id()).orElseThrow().usesRemaining(),
        "the uses went back");
    Grant abandoned = backing.grants().stream().filter(g -> g.parentId() != null).findFirst()
        .orElseThrow();
    assertEquals(GrantState.REVOKED, abandoned.state());
    assertEquals(Minter.NOT_ISSUED, abandoned.endReason());
    assertFalse(f.jit.allowedChecks(abandoned.id()).isPresent(), "its counter is gone");
    assertTrue(f.ended.isEmpty(), "never issued, never reported");
    f.jit.revoke(parent.id(), RevocationReason.MANUAL);
    assertEquals(1, f.ended.size());
  }
}
