package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.spi.GrantStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TaskLifeTest {
  @Nested
  class EndedTasks {
    final Fixture f = new Fixture();

    @Test
    void aRevokedTaskRefusesNewRequestsAndDelegationsWithTaskEnded() {
      Grant grant = f.grant();
      f.jit.revokeTask("task-1", RevocationReason.MANUAL);
      assertTrue(f.jit.isTaskEnded("task-1"));
      GrantDeniedException e = assertThrows(GrantDeniedException.class, f::grant);
      assertEquals("TASK_ENDED", e.reason());
      Grant other = f.jit.request(Fixture.request().task("task-2").build());
      GrantDeniedException d = assertThrows(GrantDeniedException.class,
          () -> f.jit.delegate(other.id(), DelegationRequest.builder().subject("agent")
              .task("task-1").scope(Scope.parse("read:orders/1"))
              .ttl(Ttl.of(Duration.ofMinutes(1))).build()));
      assertEquals("TASK_ENDED", d.reason());
      assertEquals(GrantState.REVOKED, f.jit.grant(grant.id()).orElseThrow().state());
      assertEquals(AuditEventType.DENIED, f.audit.get(f.audit.size() - 1).type());
      f.jit.revokeTask("task-2", RevocationReason.MANUAL);
    }

    @Test
    void runCallAndOpenEndTheirTask() throws Exception {
      f.jit.run(Fixture.request().task("run-task").build(), grant -> { });
      f.jit.call(Fixture.request().task("call-task").build(), grant -> 1);
      try (TaskGrant task = f.jit.open(Fixture.request().task("open-task").build())) {
        task.require("read", "orders/1");
      }
      for (String task : List.of("run-task", "call-task", "open-task")) {
        assertTrue(f.jit.isTaskEnded(task), task);
        assertThrows(GrantDeniedException.class,
            () -> f.jit.request(Fixture.request().task(task).build()));
      }
    }

    @Test
    void theEndedTaskRetentionMustBePositiveAndSetOnce() {
      IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
          () -> JitAccess.builder().endedTaskRetention(Duration.ZERO));
      assertEquals("endedTaskRetention must be > 0, was PT0S", zero.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> JitAccess.builder().endedTaskRetention(Duration.ofSeconds(-1)));
      IllegalStateException twice = assertThrows(IllegalStateException.class,
          () -> JitAccess.builder().endedTaskRetention(Duration.ofHours(1))
              .endedTaskRetention(Duration.ofHours(2)));
      assertEquals("endedTaskRetention was already set", twice.getMessage());
    }

    @Test
    void anEndedTaskIsForgottenAfterTheRetention() {
      Fixture short1 = new Fixture(b -> b.endedTaskRetention(Duration.ofMinutes(10)));
      short1.jit.revokeTask("task-1", RevocationReason.MANUAL);
      short1.clock.advance(Duration.ofMinutes(10).minusNanos(1));
      assertThrows(GrantDeniedException.class, short1::grant);
      short1.clock.advance(Duration.ofNanos(1));
      assertFalse(short1.jit.isTaskEnded("task-1"));
      Grant again = short1.grant();
      assertTrue(again.isActive());
      short1.jit.revoke(again.id(), RevocationReason.MANUAL);
    }
  }

  /**
   * A request in flight when its task, subject or owner is revoked: the store's insert is held
   * until the revocation has searched, so the revocation cannot see the new grant.
   */
  @Nested
  class RequestsInFlight {
    final CountDownLatch inserting = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final InMemoryGrantStore backing = InMemoryGrantStore.create();
    final GrantStore slowInsert = new ForwardingGrantStore(backing) {
      @Override
      public void insert(Grant grant) {
        inserting.countDown();
        try {
          release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        super.insert(grant);
      }
    };
    final Fixture f = new Fixture(b -> b.store(slowInsert));

    private void raceWith(Runnable revocation, String reason) throws Exception {
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<Grant> request = pool.submit(() -> f.jit.request(Fixture.request().build()));
        assertTrue(inserting.await(10, TimeUnit.SECONDS));
        revocation.run(); // searches while the insert is held: finds nothing
        release.countDown();
        Exception e = assertThrows(Exception.class, () -> request.get(10, TimeUnit.SECONDS));
        GrantDeniedException denied = (GrantDeniedException) e.getCause();
        assertEquals(reason, denied.reason());
        String says = reason.equals("TASK_ENDED") ? "task task-1 ended while the request was in"
            : "a revocation of its " + (reason.equals("SUBJECT_REVOKED") ? "subject" : "owner")
                + " began while the request was in flight";
        assertTrue(denied.getMessage().contains(says), denied.getMessage());
      } finally {
        pool.shutdownNow();
      }
      for (Grant grant : backing.grants()) {
        assertFalse(grant.isActive(), "no grant is left ACTIVE behind the revocation");
      }
      assertTrue(f.ended.isEmpty(), "a grant never issued is not reported");
      assertTrue(f.audit.stream().noneMatch(ev -> ev.type() == AuditEventType.ISSUED));
    }

    @Test
    void revokeTaskRefusesARequestAlreadyInFlight() throws Exception {
      raceWith(() -> f.jit.revokeTask("task-1", RevocationReason.MANUAL), "TASK_ENDED");
    }

    @Test
    void revokeSubjectRefusesARequestAlreadyInFlight() throws Exception {
      raceWith(() -> f.jit.revokeSubject("ci-job-1", RevocationReason.MANUAL), "SUBJECT_REVOKED");
    }

    @Test
    void revokeOwnerRefusesARequestAlreadyInFlight() throws Exception {
      raceWith(() -> f.jit.revokeOwner("team-a", RevocationReason.MANUAL), "OWNER_REVOKED");
    }

    @Test
    void aLaterRequestOfARevokedSubjectIsDecidedAsUsual() throws Exception {
      release.countDown();
      f.jit.revokeSubject("ci-job-1", RevocationReason.MANUAL);
      Grant later = f.jit.request(Fixture.request().task("later").build());
      assertTrue(later.isActive());
      f.jit.revoke(later.id(), RevocationReason.MANUAL);
    }
  }

  @Nested
  class CausalOrder {
    @Test
    void anEndReportedWhileTheGrantIsBeingPublishedFollowsItsIssuedEvent() throws Exception {
      AtomicReference<Fixture> fixture = new AtomicReference<>();
      CountDownLatch stored = new CountDownLatch(1);
      CountDownLatch revoked = new CountDownLatch(1);
      InMemoryGrantStore backing = InMemoryGrantStore.create();
      GrantStore store = new ForwardingGrantStore(backing) {
        @Override
        public void insert(Grant grant) {
          super.insert(grant);
          stored.countDown();
          try {
            revoked.await(10, TimeUnit.SECONDS); // the revocation runs before ISSUED is recorded
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      };
      Fixture f = new Fixture(b -> b.store(store));
      fixture.set(f);
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        Future<Grant> request = pool.submit(() -> f.jit.request(Fixture.request().build()));
        assertTrue(stored.await(10, TimeUnit.SECONDS));
        Grant inFlight = backing.grants().get(0);
        assertTrue(f.jit.revoke(inFlight.id(), RevocationReason.ANOMALY));
        assertTrue(f.ended.isEmpty(), "held until the grant's start is recorded");
        revoked.countDown();
        Grant returned = request.get(10, TimeUnit.SECONDS);
        assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.REVOKED),
            f.eventsFor(returned.id()));
        assertEquals(1, f.ended.size());
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void namesAreComparedInNfcAndRefusedWithSurroundingWhiteSpace() {
    Fixture f = new Fixture();
    String composed = "\u00e9quipe";
    String decomposed = "e\u0301quipe";
    Grant grant = f.jit.request(Fixture.request().owner(decomposed).build());
    assertEquals(composed, grant.owner());
    assertEquals(1, f.jit.revokeOwner(composed, RevocationReason.MANUAL));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GrantRequest.builder().task("deploy-42 "));
    assertTrue(e.getMessage().startsWith("task must not begin or end with white space"),
        e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> f.jit.revokeTask(" deploy-42", RevocationReason.MANUAL));
  }
}
