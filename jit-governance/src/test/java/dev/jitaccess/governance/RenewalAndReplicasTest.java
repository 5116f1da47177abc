package dev.jitaccess.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.spi.GovernanceStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Renewals under governance, and replicas that share requests and grants. */
class RenewalAndReplicasTest {

  private static String denial(Runnable call) {
    return assertThrows(GrantDeniedException.class, call::run).getMessage();
  }

  @Test
  void aRenewalIsCappedAtTheTiersMaximumAndRefusedOnceEligibilityIsRemoved() {
    Desk desk = new Desk();
    AccessRequest r = desk.gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build());
    desk.gov.approve(r.id(), "dba-ann");
    Grant grant = desk.gov.activate(r.id(), "vendor-bob");
    Grant renewed = desk.gov.access().renew(grant.id(), Duration.ofHours(6));
    assertEquals(desk.clock.instant().plus(Duration.ofHours(4)), renewed.expiresAt(),
        "MEDIUM adds at most 4 hours");
    desk.gov.rules().remove("vendor-db");
    assertTrue(denial(() -> desk.gov.access().renew(grant.id(), Duration.ofMinutes(5)))
        .contains("NOT_ELIGIBLE"));
  }

  @Test
  void aCriticalGrantDoesNotRenew() {
    Desk desk = new Desk();
    AccessRequest r = desk.gov.request(Desk.oncallBreaksGlass(RiskTiers.CRITICAL).build());
    desk.gov.approve(r.id(), "dba-ann");
    desk.gov.approve(r.id(), "dba-dan");
    Grant grant = desk.gov.activate(r.id(), "oncall-olga");
    assertTrue(denial(() -> desk.gov.access().renew(grant.id(), Duration.ofMinutes(5)))
        .contains("RENEWAL_NOT_ALLOWED"));
  }

  @Test
  void aLongRunningJobRenewsOnlyWhileItsTaskIsAlive() {
    Set<String> alive = ConcurrentHashMap.newKeySet();
    alive.add("nightly-load");
    Desk desk = new Desk(new InMemoryGovernanceStore(), b -> b.taskAlive(alive::contains));
    AccessRequest r = desk.gov.request(RequestSpec.builder().requester("ci-runner")
        .subject("nightly-job").owner("data").task("nightly-load").purpose("load the warehouse")
        .scope("write:warehouse/sales").lifetime(Duration.ofHours(1)).tier(RiskTiers.LONG_RUNNING)
        .justification("nightly warehouse load, runs about six hours").build());
    desk.gov.approve(r.id(), "dba-ann");
    desk.gov.approve(r.id(), "sec-sue");
    Grant grant = desk.gov.activate(r.id(), "ci-runner");
    for (int hour = 0; hour < 5; hour++) {
      desk.clock.advance(Duration.ofMinutes(50));
      grant = desk.gov.access().renew(grant.id(), Duration.ofHours(1));
    }
    alive.remove("nightly-load");
    String id = grant.id();
    assertTrue(denial(() -> desk.gov.access().renew(id, Duration.ofHours(1)))
        .contains("TASK_NOT_ALIVE"));
  }

  @Test
  void aRequestMadeOnOneReplicaIsApprovedOnAnotherAndActivatedOnTheFirst() {
    GovernanceStore shared = new InMemoryGovernanceStore();
    Desk a = new Desk(shared, b -> {});
    Governance b = Governance.builder().runtime(JitAccess.builder()).grants(a.grants)
        .clock(a.clock).scheduler(a.clock).store(shared).directory(a.directory)
        .rules(a.rules).auditSink(a.audit::add).build();
    AccessRequest r = a.gov.request(Desk.vendorAsks(RiskTiers.HIGH).build());
    b.approve(r.id(), "dba-ann");
    assertThrows(GovernanceException.class, () -> a.gov.approve(r.id(), "dba-ann"),
        "a decision on one replica counts on the other");
    a.gov.approve(r.id(), "sec-sue");
    Grant grant = a.gov.activate(r.id(), "vendor-bob");
    assertTrue(b.access().check(grant.id(), "read", "db/orders").isAllowed());
    assertThrows(RequestStateException.class, () -> b.activate(r.id(), "vendor-bob"));
    b.access().revoke(grant.id(), RevocationReason.MANUAL);
    assertTrue(!a.gov.access().check(grant.id(), "read", "db/orders").isAllowed());
  }

  @Test
  void concurrentApprovalsCountEachApproverOnceAndApproveExactlyAtTheThreshold() throws Exception {
    for (int round = 0; round < 20; round++) {
      Desk desk = new Desk();
      AccessRequest r = desk.gov.request(Desk.vendorAsks(RiskTiers.HIGH).build());
      List<String> approvers = List.of("dba-ann", "sec-sue", "dba-ann", "sec-sue", "dba-dan");
      List<Object> outcomes = race(approvers.size(), i -> desk.gov.approve(r.id(), approvers.get(i)));
      AccessRequest after = desk.gov.find(r.id()).orElseThrow();
      assertEquals(RequestState.APPROVED, after.state());
      assertEquals(2, after.approvals().size());
      assertEquals(2, outcomes.stream().filter(o -> o instanceof AccessRequest).count(),
          outcomes::toString);
      assertEquals(Set.of("db", "security"), Set.of(after.approvals().get(0).team(),
          after.approvals().get(1).team()));
    }
  }

  @Test
  void concurrentActivationsOnTwoReplicasLeaveExactlyOneLiveGrant() throws Exception {
    for (int round = 0; round < 20; round++) {
      GovernanceStore shared = new InMemoryGovernanceStore();
      Desk a = new Desk(shared, b -> {});
      Governance b = Governance.builder().runtime(JitAccess.builder()).grants(a.grants)
          .clock(a.clock).scheduler(a.clock).store(shared).directory(a.directory)
          .rules(a.rules).auditSink(a.audit::add).build();
      AccessRequest r = a.gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build());
      a.gov.approve(r.id(), "dba-ann");
      List<Object> outcomes = race(4, i -> (i % 2 == 0 ? a.gov : b).activate(r.id(), "vendor-bob"));
      List<Grant> won = new ArrayList<>();
      for (Object o : outcomes) {
        if (o instanceof Grant) {
          won.add((Grant) o);
        }
      }
      assertEquals(1, won.size(), outcomes::toString);
      long live = a.grants.grants().stream().filter(g -> g.isActive()).count();
      assertEquals(1, live, "every losing activation revoked its grant");
      assertEquals(won.get(0).id(), shared.get(r.id()).grantId());
    }
  }

  interface Call {
    Object run(int i) throws Exception;
  }

  /** Runs {@code n} calls released together; each outcome is a result or the exception. */
  static List<Object> race(int n, Call call) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(n);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<Object>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int index = i;
        futures.add(pool.submit(() -> {
          start.await();
          try {
            return call.run(index);
          } catch (RuntimeException e) {
            return e;
          }
        }));
      }
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : futures) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }
}
