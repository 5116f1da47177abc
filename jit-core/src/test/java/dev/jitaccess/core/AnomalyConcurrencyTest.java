package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RequestContext;
import dev.jitaccess.RevocationReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Detections racing checks: they are linearizable with them, and end a grant exactly once. */
class AnomalyConcurrencyTest {
  static final int THREADS = 4;
  final ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
  }

  @Test
  void noCheckFromThePinnedSourceAllowsOnceACheckFromASecondSourceReturned() throws Exception {
    AnomalyDetectionTest.Detecting d =
        new AnomalyDetectionTest.Detecting(AnomalyDetectors.sourcePinning());
    AtomicLong allowsAfter = new AtomicLong();
    AtomicLong allowsBefore = new AtomicLong();
    for (int round = 0; round < 50; round++) {
      Grant grant = d.f.jit.request(Fixture.request()
          .context(RequestContext.builder().source("10.0.0.7").build()).build());
      AtomicBoolean detected = new AtomicBoolean();
      CountDownLatch started = new CountDownLatch(THREADS);
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        tasks.add(pool.submit(() -> {
          started.countDown();
          for (int i = 0; i < 2_000; i++) {
            boolean before = detected.get(); // read before the check: happens-before edge
            boolean allowed = d.f.jit.check(grant.id(), "read", "orders/1",
                AnomalyDetectionTest.HOME).isAllowed();
            if (allowed && before) {
              allowsAfter.incrementAndGet();
            } else if (allowed) {
              allowsBefore.incrementAndGet();
            }
          }
        }));
      }
      tasks.add(pool.submit(() -> {
        started.await();
        assertEquals(DenyReason.ANOMALY, d.f.jit.check(grant.id(), "read", "orders/1",
            AnomalyDetectionTest.ELSEWHERE).reason());
        detected.set(true); // only after the detecting check returned
        return null;
      }));
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
      assertEquals(GrantState.REVOKED, d.state(grant));
    }
    assertEquals(0, allowsAfter.get());
    assertTrue(allowsBefore.get() > 0, "the checks must have overlapped the detection");
  }

  @Test
  void racingProbesEndTheGrantOnceAndExactlyOneDetectionRevokes() throws Exception {
    for (int round = 0; round < 30; round++) {
      AnomalyDetectionTest.Detecting d = new AnomalyDetectionTest.Detecting(
          AnomalyDetectors.denialBurst(40, Duration.ofMinutes(1)));
      Grant grant = d.f.grant();
      CyclicBarrier start = new CyclicBarrier(THREADS);
      List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        tasks.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < 50; i++) {
            DenyReason reason = d.f.jit.check(grant.id(), "delete", "orders/" + i).reason();
            assertTrue(reason == DenyReason.OUT_OF_SCOPE || reason == DenyReason.REVOKED,
                String.valueOf(reason));
          }
          return null;
        }));
      }
      for (Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
      assertEquals(List.of(RevocationReason.ANOMALY), d.f.endReasonsFor(grant.id()));
      assertEquals(1, d.reports.stream().filter(AnomalyReport::revoked).count());
      assertTrue(d.reports.size() >= 1);
      assertEquals(d.reports.size(), d.anomalies().size(), "each detection audited once");
      assertEquals(1, d.f.audit.stream()
          .filter(e -> e.type() == AuditEventType.REVOKED && e.concerns(grant.id())).count());
      d.f.jit.close();
    }
  }
}
