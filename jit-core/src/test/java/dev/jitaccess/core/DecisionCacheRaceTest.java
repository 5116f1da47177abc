package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.spi.GrantChangeListener;
import dev.jitaccess.spi.SharedGrantStore;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Reads from a decision cache racing the revocation of a grant: once {@code revoke()} has
 * returned, no read answers allow for that grant or any grant delegated from it. On the in-memory
 * store, with a cascade executor that has not reached the descendants, and for a revocation made
 * by another runtime on a shared store, once its change has been delivered to this runtime.
 */
class DecisionCacheRaceTest {
  static final int THREADS = 4;
  static final int ROUNDS = 60;
  final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
  final AtomicLong allowsAfterRevoke = new AtomicLong();
  final AtomicLong allowsBefore = new AtomicLong();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  /**
   * One round: {@code THREADS} threads read {@code ids} through {@code cache} in turn (half of the
   * reads {@code get}, half {@code check}) while one more thread runs {@code revoke}; the flag is
   * set only once it returned, and read before each cache read.
   */
  void round(DecisionCache cache, String[] ids, Runnable revoke) throws Exception {
    AtomicBoolean revoked = new AtomicBoolean();
    CountDownLatch started = new CountDownLatch(THREADS);
    List<Future<?>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      int offset = t;
      tasks.add(pool.submit(() -> {
        started.countDown();
        for (int i = 0; i < 3_000; i++) {
          String id = ids[(i + offset) % ids.length];
          boolean before = revoked.get(); // read before the cache read: happens-before edge
          boolean allowed = (i & 1) == 0 ? cache.get(id, "read", "orders/1") != null
              : cache.check(id, "read", "orders/1").isAllowed();
          if (allowed && before) {
            allowsAfterRevoke.incrementAndGet();
          } else if (allowed) {
            allowsBefore.incrementAndGet();
          }
        }
      }));
    }
    tasks.add(pool.submit(() -> {
      started.await();
      revoke.run();
      revoked.set(true); // set only after revoke() returned
      return null;
    }));
    for (Future<?> task : tasks) {
      task.get(60, TimeUnit.SECONDS);
    }
  }

  void assertNoAllowAfterRevoke() {
    assertEquals(0, allowsAfterRevoke.get());
    assertTrue(allowsBefore.get() > 0, "the reads must have overlapped the revocation");
  }

  static String[] family(JitAccess jit, Grant parent) {
    Grant child = jit.delegate(parent.id(), Scope.parse("read:orders/*"), Duration.ofMinutes(1),
        "agent");
    Grant grandchild = jit.delegate(child.id(), Scope.parse("read:orders/1"),
        Duration.ofMinutes(1), "sub-agent");
    return new String[] {parent.id(), child.id(), grandchild.id()};
  }

  @Test
  void noReadAllowsAfterRevokeReturnedOnTheInMemoryStore() throws Exception {
    Fixture f = new Fixture();
    DecisionCache cache = f.jit.decisionCache(10_000);
    for (int r = 0; r < ROUNDS; r++) {
      Grant parent = f.grant();
      String[] ids = family(f.jit, parent);
      round(cache, ids, () -> f.jit.revoke(parent.id(), RevocationReason.MANUAL));
    }
    assertNoAllowAfterRevoke();
  }

  @Test
  void noReadAllowsAfterRevokeReturnedWhileTheCascadeExecutorHasNotReachedTheDescendants()
      throws Exception {
    CascadeExecutorTest.HeldTasks held = new CascadeExecutorTest.HeldTasks();
    Fixture f = new Fixture(b -> b.cascadeExecutor(held));
    DecisionCache cache = f.jit.decisionCache(10_000);
    for (int r = 0; r < ROUNDS; r++) {
      Grant parent = f.grant();
      String[] ids = family(f.jit, parent);
      round(cache, ids, () -> f.jit.revoke(parent.id(), RevocationReason.MANUAL));
      assertTrue(held.tasks.size() > 0, "the descendants are not reported yet");
      held.runAll();
    }
    assertNoAllowAfterRevoke();
  }

  @Test
  void noReadOnAnotherReplicaAllowsOnceTheRevocationMadeElsewhereWasDelivered() throws Exception {
    FakeClock clock = new FakeClock();
    InMemoryGrantStore inner = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    List<Replica> instances = new CopyOnWriteArrayList<>();
    Replica a = new Replica(inner, instances);
    Replica b = new Replica(inner, instances);
    JitAccess onA = JitAccess.builder().clock(clock).scheduler(clock).store(a).build();
    JitAccess onB = JitAccess.builder().clock(clock).scheduler(clock).store(b).build();
    DecisionCache cacheOnB = onB.decisionCache(10_000);
    try {
      for (int r = 0; r < ROUNDS; r++) {
        Grant parent = onA.request(GrantRequest.builder().subject("ci-job").owner("team")
            .task("t-" + r).purpose("p").scope(Scope.parse("read:orders/*"))
            .ttl(dev.jitaccess.Ttl.of(Duration.ofMinutes(5))).build());
        String[] ids = family(onA, parent);
        // A's revoke() returns once the store delivered the change to B's follower.
        round(cacheOnB, ids, () -> onA.revoke(parent.id(), RevocationReason.MANUAL));
      }
    } finally {
      onA.close();
      onB.close();
    }
    assertNoAllowAfterRevoke();
  }

  @Test
  void aCheckAllowedBeforeAnAncestorEndedDoesNotCacheItsDecisionAfterTheEnd() {
    Fixture f = new Fixture();
    CachedDecisions cache = (CachedDecisions) f.jit.decisionCache(100);
    for (int k = 0; k < 3; k++) {
      String[] ids = family(f.jit, f.grant());
      // Grant k is allowed, then the root ends before the decision is cached.
      cache.beforeEntry(() -> f.jit.revoke(ids[0], RevocationReason.MANUAL));
      assertTrue(cache.check(ids[k], "read", "orders/1").isAllowed(), "allowed before the end");
      cache.beforeEntry(null);
      assertEquals(null, cache.get(ids[k], "read", "orders/1"), "cached after the end");
      assertEquals(0, cache.estimatedSize());
    }
  }

  @Test
  void aCheckAllowedBeforeItsOwnGrantEndedDoesNotCacheItsDecisionAfterTheEnd() {
    Fixture f = new Fixture();
    CachedDecisions cache = (CachedDecisions) f.jit.decisionCache(100);
    Grant grant = f.grant();
    Grant other = f.grant();
    cache.beforeEntry(() -> f.jit.revoke(grant.id(), RevocationReason.MANUAL));
    assertTrue(cache.check(grant.id(), "read", "orders/1").isAllowed(), "allowed before");
    cache.beforeEntry(null);
    assertEquals(null, cache.get(grant.id(), "read", "orders/1"));
    assertTrue(cache.check(other.id(), "read", "orders/1").isAllowed());
    assertEquals(1, cache.estimatedSize(), "a check after the end caches again");
    f.jit.revoke(other.id(), RevocationReason.TASK_COMPLETED);
  }

  /**
   * One runtime's instance of a shared in-process store: every insert and change made through it
   * is delivered, in order and before the call returns, to the followers of the other instances.
   */
  static final class Replica extends ForwardingGrantStore implements SharedGrantStore {
    private static final Object DELIVERY = new Object();
    final List<GrantChangeListener> followers = new CopyOnWriteArrayList<>();
    final List<Replica> instances;

    Replica(InMemoryGrantStore inner, List<Replica> instances) {
      super(inner);
      this.instances = instances;
      instances.add(this);
    }

    @Override
    public AutoCloseable follow(GrantChangeListener listener) {
      followers.add(listener);
      return () -> followers.remove(listener);
    }

    @Override
    public void insert(Grant grant) {
      synchronized (DELIVERY) {
        super.insert(grant);
        publish(grant);
      }
    }

    @Override
    public boolean compareAndSet(Grant expected, Grant replacement) {
      synchronized (DELIVERY) {
        boolean set = super.compareAndSet(expected, replacement);
        if (set) {
          publish(replacement);
        }
        return set;
      }
    }

    private void publish(Grant change) {
      for (Replica other : instances) {
        if (other != this) {
          for (GrantChangeListener follower : other.followers) {
            follower.changed(change);
          }
        }
      }
    }
  }
}
