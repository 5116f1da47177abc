package dev.jitaccess.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Grants ended on several threads at once: each downstream is called for at most its concurrency
 * of grants at a time, on its own threads, and no entry handed over while a drainer finishes is
 * left behind.
 */
class DownstreamConcurrencyTest {
  private static final int GRANTS = 600;

  /** Counts the calls running at once, and the threads they ran on. */
  static final class Overlaps implements Downstream {
    final String name;
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger most = new AtomicInteger();
    final Set<String> threads = ConcurrentHashMap.newKeySet();

    Overlaps(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public TeardownResult revoke(Grant grant, RevocationReason reason) {
      int now = running.incrementAndGet();
      most.accumulateAndGet(now, Math::max);
      threads.add(Thread.currentThread().getName());
      Thread.yield();
      running.decrementAndGet();
      return TeardownResult.done(grant.reference());
    }

    @Override
    public Probe verify(Grant grant) {
      return Probe.DENIED;
    }
  }

  @Test
  void grantsEndedOnFourThreadsAreEachVerifiedWithAtMostTheConcurrencyOfCallsPerDownstream()
      throws Exception {
    FakeClock clock = new FakeClock();
    Overlaps serial = new Overlaps("serial");
    Overlaps wide = new Overlaps("wide");
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(serial, wide),
        b -> b.downstream(serial).downstream(wide,
            DownstreamOptions.builder().concurrency(3).build()))) {
      List<Grant> grants = new ArrayList<>();
      for (int i = 0; i < GRANTS; i++) {
        grants.add(rig.grant("job-" + i));
      }
      ExecutorService enders = Executors.newFixedThreadPool(4);
      try {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int first = t;
          done.add(enders.submit(() -> {
            start.await();
            for (int i = first; i < GRANTS; i += 4) {
              rig.jit.revoke(grants.get(i).id(), RevocationReason.TASK_COMPLETED);
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> f : done) {
          f.get(30, TimeUnit.SECONDS);
        }
      } finally {
        enders.shutdownNow();
      }
      rig.log.await(e -> e.type() == AuditEventType.TEARDOWN_VERIFIED, 2L * GRANTS);

      assertEquals(1, serial.most.get(), "one grant at a time by default");
      assertTrue(wide.most.get() <= 3, "at most its concurrency: " + wide.most.get());
      for (Overlaps d : List.of(serial, wide)) {
        assertTrue(d.threads.stream().allMatch(t -> t.startsWith("jit-teardown-" + d.name)),
            d.threads.toString());
      }
      assertTrue(rig.teardown.lingering(java.time.Duration.ZERO).isEmpty());
      for (Grant g : grants) {
        for (TeardownEntry e : rig.teardown.entries(g.id())) {
          assertEquals(TeardownState.VERIFIED, e.state());
          assertEquals(1, e.attempts());
        }
      }
    }
  }
}
