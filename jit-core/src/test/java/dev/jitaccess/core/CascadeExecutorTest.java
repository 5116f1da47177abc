package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.spi.GrantStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CascadeExecutorTest {
  /** An executor that holds its tasks until the test runs them. */
  static final class HeldTasks implements java.util.concurrent.Executor {
    final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable command) {
      tasks.add(command);
    }

    int runAll() {
      int ran = 0;
      for (Runnable task; (task = tasks.poll()) != null; ran++) {
        task.run();
      }
      return ran;
    }
  }

  final HeldTasks executor = new HeldTasks();
  final Fixture f = new Fixture(b -> b.cascadeExecutor(executor));

  /** A parent, two children and a grandchild under the first child. */
  Grant[] tree() {
    Grant root = f.grant();
    Grant a = f.jit.delegate(root.id(), Scope.parse("read:orders/*"), Duration.ofMinutes(4), "a");
    Grant b = f.jit.delegate(root.id(), Scope.parse("read:orders/2"), Duration.ofMinutes(4), "b");
    Grant a1 = f.jit.delegate(a.id(), Scope.parse("read:orders/1"), Duration.ofMinutes(3), "a1");
    return new Grant[] {root, a, b, a1};
  }

  @Test
  void revokeReturnsWithTheWholeSubtreeDenyingAndReportsDescendantsOnTheExecutor() {
    Grant[] tree = tree();
    assertTrue(f.jit.revoke(tree[0].id(), RevocationReason.ANOMALY));

    for (Grant g : tree) {
      String resource = g == tree[2] ? "orders/2" : "orders/1"; // within each grant's scope
      assertEquals(DenyReason.REVOKED, f.jit.check(g.id(), "read", resource).reason(), g.id());
    }
    assertEquals(List.of(RevocationReason.ANOMALY), f.endReasonsFor(tree[0].id()));
    assertEquals(AuditEventType.REVOKED, f.eventsFor(tree[0].id()).get(1));
    assertEquals(1, f.ended.size(), "only the grant itself is reported before the executor runs");
    assertEquals(GrantState.ACTIVE, f.jit.grant(tree[3].id()).orElseThrow().state());

    assertEquals(1, executor.runAll());

    for (int i = 1; i < tree.length; i++) {
      Grant g = f.jit.grant(tree[i].id()).orElseThrow();
      assertEquals(GrantState.REVOKED, g.state());
      assertEquals(List.of(RevocationReason.PARENT_REVOKED), f.endReasonsFor(g.id()));
      assertEquals(List.of(AuditEventType.DELEGATED, AuditEventType.DENIED, AuditEventType.REVOKED),
          f.eventsFor(g.id()));
    }
    List<String> order = new ArrayList<>();
    f.ended.forEach(e -> order.add(e.grant().id()));
    assertTrue(order.indexOf(tree[1].id()) < order.indexOf(tree[3].id()), "parents first");
    assertEquals(4, f.ended.size());
  }

  @Test
  void exhaustionHandsDescendantsToTheExecutorToo() {
    Grant budgeted = f.jit.request(Fixture.request().task("t2").useBudget(3).build());
    Grant child = f.jit.delegate(budgeted.id(),
        dev.jitaccess.DelegationRequest.builder().scope(Scope.parse("read:orders/1"))
            .ttl(dev.jitaccess.Ttl.of(Duration.ofMinutes(1))).subject("agent").useBudget(1)
            .build());
    assertTrue(f.jit.check(budgeted.id(), "read", "orders/1").isAllowed());
    assertTrue(f.jit.check(budgeted.id(), "read", "orders/1").isAllowed());
    assertEquals(DenyReason.REVOKED, f.jit.check(child.id(), "read", "orders/1").reason());
    assertEquals(List.of(RevocationReason.EXHAUSTED), f.endReasonsFor(budgeted.id()));
    assertEquals(List.of(), f.endReasonsFor(child.id()));
    assertEquals(1, executor.runAll());
    assertEquals(List.of(RevocationReason.PARENT_REVOKED), f.endReasonsFor(child.id()));
  }

  @Test
  void aCascadeTheExecutorRejectsRunsOnTheCallingThread() {
    Fixture rejecting = new Fixture(b -> b.cascadeExecutor(task -> {
      throw new RejectedExecutionException("shut down");
    }));
    Grant root = rejecting.grant();
    Grant child = rejecting.jit.delegate(root.id(), Scope.parse("read:orders/1"),
        Duration.ofMinutes(1), "agent");
    assertTrue(rejecting.jit.revoke(root.id(), RevocationReason.MANUAL));
    assertEquals(List.of(RevocationReason.PARENT_REVOKED), rejecting.endReasonsFor(child.id()));
    assertEquals(GrantState.REVOKED, rejecting.jit.grant(child.id()).orElseThrow().state());
  }

  @Test
  void aCascadeThatFailsIsRetriedOnTheSchedulerUntilEveryDescendantIsReported() {
    AtomicInteger failuresLeft = new AtomicInteger();
    Fixture flaky = new Fixture(b -> b.cascadeExecutor(executor)
        .store(failingFindByParent(b, failuresLeft)));
    Grant root = flaky.grant();
    Grant child = flaky.jit.delegate(root.id(), Scope.parse("read:orders/1"),
        Duration.ofMinutes(1), "agent");
    failuresLeft.set(2);
    assertTrue(flaky.jit.revoke(root.id(), RevocationReason.MANUAL));
    executor.runAll(); // fails: retried a second later on the scheduler
    assertEquals(List.of(), flaky.endReasonsFor(child.id()));
    assertEquals(DenyReason.REVOKED, flaky.jit.check(child.id(), "read", "orders/1").reason());
    flaky.clock.advance(Duration.ofSeconds(1)); // fails again
    assertEquals(List.of(), flaky.endReasonsFor(child.id()));
    flaky.clock.advance(Duration.ofSeconds(1));
    assertEquals(List.of(RevocationReason.PARENT_REVOKED), flaky.endReasonsFor(child.id()));
  }

  /** A store whose findByParent fails while {@code failuresLeft} is positive. */
  static GrantStore failingFindByParent(JitAccessBuilder b, AtomicInteger failuresLeft) {
    InMemoryGrantStore inner =
        InMemoryGrantStore.builder().clock(b.clock).scheduler(b.scheduler).build();
    return new ForwardingGrantStore(inner) {
      @Override
      public Collection<Grant> findByParent(String parentId) {
        if (failuresLeft.getAndDecrement() > 0) {
          throw new IllegalStateException("backend unavailable");
        }
        return super.findByParent(parentId);
      }
    };
  }

  @Test
  void withoutAnExecutorACascadeTheStoreFailsReportsTheGrantAtOnceAndRetriesTheRest() {
    AtomicInteger failuresLeft = new AtomicInteger();
    Fixture flaky = new Fixture(b -> b.store(failingFindByParent(b, failuresLeft)));
    Grant root = flaky.grant();
    Grant child = flaky.jit.delegate(root.id(), Scope.parse("read:orders/1"),
        Duration.ofMinutes(1), "agent");
    failuresLeft.set(1);
    assertTrue(flaky.jit.revoke(root.id(), RevocationReason.MANUAL));
    assertEquals(List.of(RevocationReason.MANUAL), flaky.endReasonsFor(root.id()));
    assertEquals(List.of(), flaky.endReasonsFor(child.id()));
    assertEquals(DenyReason.REVOKED, flaky.jit.check(child.id(), "read", "orders/1").reason());
    flaky.clock.advance(Duration.ofSeconds(1));
    assertEquals(List.of(RevocationReason.PARENT_REVOKED), flaky.endReasonsFor(child.id()));
  }

  @Test
  void aRefusedCascadeThatThenFailsOnTheCallerIsRetriedToo() {
    AtomicInteger failuresLeft = new AtomicInteger();
    Fixture flaky = new Fixture(b -> b.store(failingFindByParent(b, failuresLeft))
        .cascadeExecutor(task -> {
          throw new RejectedExecutionException("shut down");
        }));
    Grant root = flaky.grant();
    Grant child = flaky.jit.delegate(root.id(), Scope.parse("read:orders/1"),
        Duration.ofMinutes(1), "agent");
    failuresLeft.set(1);
    assertTrue(flaky.jit.revoke(root.id(), RevocationReason.MANUAL));
    assertEquals(List.of(), flaky.endReasonsFor(child.id()));
    flaky.clock.advance(Duration.ofSeconds(1));
    assertEquals(List.of(RevocationReason.PARENT_REVOKED), flaky.endReasonsFor(child.id()));
  }

  @Test
  void grantsInsertedWithAParentCycleDoNotMakeTheCascadeLoop() {
    Fixture plain = new Fixture();
    java.time.Instant now = plain.clock.instant();
    String a = LiveGrantsTest.canonical(1, 1);
    String b = LiveGrantsTest.canonical(2, 2);
    plain.store.insert(Grant.builder().id(a).subject("s").owner("o").task("t")
        .purpose("p").scope(Scope.parse("read:x")).issuedAt(now).expiresAt(now.plusSeconds(60))
        .notAfter(now.plusSeconds(60)).parentId(b).build());
    plain.store.insert(Grant.builder().id(b).subject("s").owner("o").task("t")
        .purpose("p").scope(Scope.parse("read:x")).issuedAt(now).expiresAt(now.plusSeconds(60))
        .notAfter(now.plusSeconds(60)).parentId(a).build());
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10),
        () -> assertTrue(plain.jit.revoke(a, RevocationReason.ANOMALY)));
    assertEquals(GrantState.REVOKED, plain.jit.grant(b).orElseThrow().state());
    assertEquals(List.of(RevocationReason.PARENT_REVOKED), plain.endReasonsFor(b));
  }

  @Test
  void theExecutorIsSetOnceAndNeverNull() {
    JitAccessBuilder b = JitAccess.builder().cascadeExecutor(Runnable::run);
    assertEquals("cascadeExecutor was already set", assertThrows(IllegalStateException.class,
        () -> b.cascadeExecutor(Runnable::run)).getMessage());
    assertEquals("cascadeExecutor must not be null", assertThrows(NullPointerException.class,
        () -> JitAccess.builder().cascadeExecutor(null)).getMessage());
  }

  /**
   * Checks racing the revocation of a parent never allow after {@code revoke()} returned, on the
   * parent or on any descendant, although the descendants are still stored ACTIVE: their cascade
   * is held until the round is over.
   */
  @Test
  void noCheckAllowsAfterRevokeReturnedWhileTheDescendantsAreStillStoredActive()
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    RevocationRace race = new RevocationRace();
    try {
      for (int round = 0; round < 50; round++) {
        Grant[] tree = tree();
        String[] ids = {tree[0].id(), tree[1].id(), tree[2].id(), tree[3].id()};
        race.round(pool, 3, f.jit, ids, tree[0].id());
        assertEquals(GrantState.ACTIVE, f.jit.grant(tree[3].id()).orElseThrow().state());
        executor.runAll();
        assertEquals(GrantState.REVOKED, f.jit.grant(tree[3].id()).orElseThrow().state());
      }
    } finally {
      pool.shutdownNow();
    }
    race.assertNoAllowAfterRevoke();
  }
}
