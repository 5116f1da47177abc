package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Approval;
import dev.jitaccess.governance.EligibilityRule;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.GovernanceException;
import dev.jitaccess.governance.RequestSpec;
import dev.jitaccess.governance.RequestState;
import dev.jitaccess.governance.RequestStateException;
import dev.jitaccess.governance.Review;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of an application, each a governance on a runtime of its own, with store instances
 * of their own (their own pools) on one database: what one does, the other sees and continues.
 * Their schedulers never fire, so deadlines are met only by the sweeps the tests call.
 */
class GovernanceReplicasTest {
  private static final Scheduler NEVER = (task, delay) -> () -> { };

  private final String schema = TestDatabase.freshSchema();
  private final FakeClock clock = new FakeClock();
  private final Replica a;
  private final Replica b;

  GovernanceReplicasTest() {
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    a = new Replica();
    b = new Replica();
  }

  /** One replica: its own pool, grant store, governance store, runtime and audit trail. */
  private final class Replica {
    final List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
    final Governance governance;

    Replica() {
      TestPool pool = new TestPool(TestDatabase.unpooled(), true);
      PostgresGrantStore grants = PostgresGrantStore.builder().dataSource(pool).schema(schema)
          .clock(clock).consistency(Consistency.STRICT).build();
      PostgresGovernanceStore store = PostgresGovernanceStore.builder().dataSource(pool)
          .schema(schema).build();
      EligibilityRule rule = EligibilityRule.builder("on-call").requesters("alice")
          .scope("read:orders/*").tiers(RiskTiers.HIGH).approvers("bob", "carol", "dave")
          .build();
      governance = Governance.builder().runtime(JitAccess.builder()).grants(grants).clock(clock)
          .scheduler(NEVER).store(store).rules(EligibilityRules.of(rule))
          .auditSink(audit::add).build();
    }

    /** The request of the first event of {@code type} it audited. */
    String requestOf(AuditEventType type) {
      synchronized (audit) {
        return audit.stream().filter(e -> e.type() == type).findFirst().orElseThrow()
            .requestId();
      }
    }

    long audited(AuditEventType type) {
      synchronized (audit) {
        return audit.stream().filter(e -> e.type() == type).count();
      }
    }
  }

  @AfterEach
  void closeTheReplicas() {
    a.governance.close();
    b.governance.close();
  }

  private static RequestSpec spec() {
    return RequestSpec.builder().requester("alice").owner("team-orders").task("incident-4711")
        .purpose("read the orders of the incident").scope("read:orders/*")
        .lifetime(Duration.ofMinutes(30)).tier(RiskTiers.HIGH)
        .justification("the orders service drops orders since 09:00").build();
  }

  private static Set<String> approvers(AccessRequest r) {
    Set<String> names = new TreeSet<>();
    for (Approval approval : r.approvals()) {
      names.add(approval.approver());
    }
    return names;
  }

  /** Runs the tasks at once, one thread each, and returns their results. */
  private static <T> List<T> race(List<Callable<T>> tasks) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (Callable<T> task : tasks) {
        futures.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aRequestMadeOnOneReplicaIsApprovedOnBothAndActivatedOnTheFirst() {
    AccessRequest r = a.governance.request(spec());
    assertEquals(r, b.governance.find(r.id()).orElseThrow(), "b sees a's request");
    assertEquals(List.of(r), b.governance.pending(10));
    AccessRequest once = b.governance.approve(r.id(), "bob");
    assertEquals(RequestState.PENDING, once.state(), "HIGH needs two approvals");
    AccessRequest approved = a.governance.approve(r.id(), "carol");
    assertEquals(RequestState.APPROVED, approved.state(), "a counted b's approval");
    assertEquals(Set.of("bob", "carol"), approvers(approved));
    assertThrows(RequestStateException.class, () -> b.governance.approve(r.id(), "dave"),
        "b sees that a's approval decided it");
    Grant grant = a.governance.activate(r.id(), "alice");
    AccessRequest active = b.governance.find(r.id()).orElseThrow();
    assertEquals(RequestState.ACTIVE, active.state());
    assertTrue(grant.id().equals(active.grantId()), "b reads the grant a minted for it");
    assertTrue(b.governance.access().check(grant.id(), "read", "orders/7").isAllowed(),
        "b's runtime allows the grant a's activation minted");
    assertEquals(List.of(), a.governance.pending(10));
  }

  @Test
  void approvalsRacingOnTwoReplicasAreBothKept() throws Exception {
    for (int round = 0; round < 20; round++) {
      String id = a.governance.request(spec()).id();
      CyclicBarrier start = new CyclicBarrier(2);
      List<AccessRequest> results = race(List.of(
          () -> {
            start.await();
            return a.governance.approve(id, "bob");
          },
          () -> {
            start.await();
            return b.governance.approve(id, "carol");
          }));
      AccessRequest stored = b.governance.find(id).orElseThrow();
      assertEquals(RequestState.APPROVED, stored.state(), "round " + round);
      assertEquals(Set.of("bob", "carol"), approvers(stored), "round " + round);
      assertEquals(2, stored.version(), "round " + round + ": one change per approval");
      assertTrue(results.contains(stored), "round " + round + ": the last approval returned it");
    }
  }

  @Test
  void ofReplicasSweepingTogetherEachPassedDeadlineIsMetOnce() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(a.governance.request(spec()).id());
    }
    clock.advance(Duration.ofHours(1).plusNanos(1));
    CyclicBarrier start = new CyclicBarrier(2);
    List<Integer> expired = race(List.of(
        () -> {
          start.await();
          return a.governance.sweep();
        },
        () -> {
          start.await();
          return b.governance.sweep();
        }));
    assertEquals(30, expired.get(0) + expired.get(1), "each replica counts what it changed: "
        + expired);
    assertEquals(30, a.audited(AuditEventType.REQUEST_EXPIRED)
        + b.audited(AuditEventType.REQUEST_EXPIRED), "one REQUEST_EXPIRED per request");
    for (String id : ids) {
      assertEquals(RequestState.EXPIRED, a.governance.find(id).orElseThrow().state());
    }
  }

  @Test
  void aBreakGlassLockTakenOnOneReplicaHoldsOnTheOtherUntilUnlocked() {
    Grant emergency = a.governance.breakGlass(spec());
    assertNotNull(emergency);
    clock.advance(Duration.ofHours(24).plusNanos(1));
    assertEquals(1, b.governance.sweep(), "b meets the missed review of a's break-glass");
    GovernanceException locked = assertThrows(GovernanceException.class,
        () -> a.governance.breakGlass(spec()));
    assertEquals(GovernanceException.Rule.BREAK_GLASS_LOCKED, locked.rule());
    AccessRequest missed = a.governance.find(a.requestOf(AuditEventType.BREAK_GLASS))
        .orElseThrow();
    assertNotNull(missed.review());
    assertEquals(Review.Verdict.MISSED, missed.review().verdict());
    assertTrue(a.governance.unlockBreakGlass("alice", "team-orders"), "a unlocks b's lock");
    assertNotNull(b.governance.breakGlass(spec()), "b may take break-glass again");
  }
}
