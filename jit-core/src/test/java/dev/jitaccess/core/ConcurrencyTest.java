package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConcurrencyTest {
  static final int THREADS = 4;
  final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
  final Fixture f = new Fixture();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  <T> List<T> all(List<Callable<T>> tasks) throws Exception {
    List<Future<T>> futures = new ArrayList<>();
    for (Callable<T> task : tasks) {
      futures.add(pool.submit(task));
    }
    List<T> results = new ArrayList<>();
    for (Future<T> future : futures) {
      results.add(future.get(60, TimeUnit.SECONDS));
    }
    return results;
  }

  @Test
  void noCheckAllowsAfterRevokeReturnedOnTheGrantOrItsDescendants() throws Exception {
    RevocationRace race = new RevocationRace();
    for (int round = 0; round < 50; round++) {
      Grant parent = f.grant();
      Grant child = f.jit.delegate(parent.id(), Scope.parse("read:orders/*"),
          Duration.ofMinutes(1), "agent");
      Grant grandchild = f.jit.delegate(child.id(), Scope.parse("read:orders/1"),
          Duration.ofMinutes(1), "sub-agent");
      String[] ids = {parent.id(), child.id(), grandchild.id()};
      race.round(pool, THREADS, f.jit, ids, parent.id());
    }
    race.assertNoAllowAfterRevoke();
  }

  @Test
  void aBudgetOfNAllowsExactlyNChecksUnderContention() throws Exception {
    int budget = 5_000;
    Grant grant = f.jit.request(Fixture.request().useBudget(budget).build());
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Callable<Integer>> tasks = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      tasks.add(() -> {
        start.await();
        int allowed = 0;
        while (true) {
          var decision = f.jit.check(grant.id(), "read", "orders/1");
          if (decision.isAllowed()) {
            allowed++;
          } else {
            assertEquals(DenyReason.EXHAUSTED, decision.reason());
            return allowed;
          }
        }
      });
    }
    int total = all(tasks).stream().mapToInt(Integer::intValue).sum();
    assertEquals(budget, total);
    assertEquals(GrantState.EXHAUSTED, f.jit.grant(grant.id()).orElseThrow().state());
    assertEquals(List.of(RevocationReason.EXHAUSTED), f.endReasonsFor(grant.id()));
  }

  @Test
  void racingRevocationsEndAGrantOnceAndTellTheListenersOnce() throws Exception {
    for (int round = 0; round < 200; round++) {
      Grant grant = f.grant();
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Callable<Boolean>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        RevocationReason reason = t % 2 == 0 ? RevocationReason.MANUAL : RevocationReason.ANOMALY;
        tasks.add(() -> {
          start.await();
          return f.jit.revoke(grant.id(), reason);
        });
      }
      long winners = all(tasks).stream().filter(Boolean::booleanValue).count();
      assertEquals(1, winners);
      assertEquals(1, f.endReasonsFor(grant.id()).size());
    }
  }

  @Test
  void aDelegationRacingItsParentsRevocationNeverLeavesALiveChild() throws Exception {
    AtomicInteger delegated = new AtomicInteger();
    for (int round = 0; round < 300; round++) {
      Grant parent = f.grant();
      CyclicBarrier start = new CyclicBarrier(2);
      String[] childId = new String[1];
      List<Callable<Void>> tasks = List.of(() -> {
        start.await();
        try {
          childId[0] = f.jit.delegate(parent.id(), Scope.parse("read:orders/1"),
              Duration.ofMinutes(1), "agent").id();
        } catch (GrantStateException expected) {
          // the parent ended first, or during the delegation
        }
        return null;
      }, () -> {
        start.await();
        f.jit.revoke(parent.id(), RevocationReason.MANUAL);
        return null;
      });
      all(tasks);
      for (Grant child : f.store.findByParent(parent.id())) {
        assertFalse(child.isActive(), "a child outlived its revoked parent");
        assertFalse(f.jit.check(child.id(), "read", "orders/1").isAllowed());
        assertEquals(1, f.endReasonsFor(child.id()).size());
      }
      if (childId[0] != null) {
        delegated.incrementAndGet();
        assertFalse(f.jit.check(childId[0], "read", "orders/1").isAllowed());
      }
    }
    assertTrue(delegated.get() > 0, "some delegations must have won the race");
  }

  @Test
  void renewalsRacingARevocationNeverRevive() throws Exception {
    for (int round = 0; round < 200; round++) {
      Grant grant = f.grant();
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS - 1; t++) {
        tasks.add(() -> {
          start.await();
          for (int i = 0; i < 20; i++) {
            try {
              f.jit.renew(grant.id(), Duration.ofMinutes(10));
            } catch (GrantStateException ended) {
              return null;
            }
          }
          return null;
        });
      }
      tasks.add(() -> {
        start.await();
        f.jit.revoke(grant.id(), RevocationReason.MANUAL);
        return null;
      });
      all(tasks);
      assertEquals(GrantState.REVOKED, f.jit.grant(grant.id()).orElseThrow().state());
      assertEquals(DenyReason.REVOKED, f.jit.check(grant.id(), "read", "orders/1").reason());
    }
  }

  @Test
  void onceACheckHasDeniedAGrantAsExpiredNoLaterCheckAllowsItWhateverRenewalsRace()
      throws Exception {
    // Timers never run, so only checks and renewals decide; one thread moves the clock on by a
    // minute at a time, past the expiry each renewal set.
    Fixture late = new Fixture(clock -> (task, delay) -> () -> { }, b -> { });
    java.util.concurrent.atomic.AtomicLong tickets = new java.util.concurrent.atomic.AtomicLong();
    for (int round = 0; round < 100; round++) {
      Grant grant = late.jit.request(Fixture.request().task("round-" + round)
          .ttl(dev.jitaccess.Ttl.of(Duration.ofMinutes(1), Duration.ofHours(8))).build());
      java.util.concurrent.atomic.AtomicBoolean done =
          new java.util.concurrent.atomic.AtomicBoolean();
      java.util.Queue<long[]> checks = new java.util.concurrent.ConcurrentLinkedQueue<>();
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        tasks.add(() -> {
          start.await();
          while (!done.get()) {
            long begun = tickets.incrementAndGet();
            DenyReason reason = late.jit.check(grant.id(), "read", "orders/1").reason();
            long ended = tickets.incrementAndGet();
            checks.add(new long[] {begun, ended, reason == null ? 0 : reason.ordinal() + 1});
          }
          return null;
        });
      }
      tasks.add(() -> {
        start.await();
        while (!done.get()) {
          try {
            late.jit.renew(grant.id(), Duration.ofMinutes(1));
          } catch (GrantStateException | dev.jitaccess.UnknownGrantException ended) {
            return null; // ended, or ended and then dropped after its retention
          }
        }
        return null;
      });
      tasks.add(() -> {
        start.await();
        for (int step = 0; step < 20; step++) {
          late.clock.advance(Duration.ofSeconds(30));
          Thread.onSpinWait();
        }
        late.clock.advance(Duration.ofMinutes(2)); // past any expiry a renewal could have set
        done.set(true);
        return null;
      });
      all(tasks);
      long firstExpired = Long.MAX_VALUE;
      for (long[] c : checks) {
        if (c[2] == DenyReason.EXPIRED.ordinal() + 1) {
          firstExpired = Math.min(firstExpired, c[1]);
        }
      }
      for (long[] c : checks) {
        assertFalse(c[0] > firstExpired && c[2] == 0,
            "a check allowed after another had denied the grant as expired");
      }
    }
  }
}
