package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

class Slf4jAuditSinkConcurrencyTest {
  private static final String[] GRANTS = {
      "Z3JhbnQtb25lLWdyYW50LW9uZS1ncmFu", "Z3JhbnQtdHdvLWdyYW50LXR3by1ncmFu",
      "Z3JhbnQtdGhyZWUtZ3JhbnQtdGhyZWUt"};

  @Test
  void concurrentDenialsAreEachLoggedOrCountedExactlyOnce() throws Exception {
    runAndCount(false);
  }

  @Test
  void concurrentDenialsAreEachLoggedOrCountedExactlyOnceWhileWindowsRoll() throws Exception {
    runAndCount(true);
  }

  private static void runAndCount(boolean rollWindows) throws Exception {
    FakeClock clock = new FakeClock();
    RecordingLogger log = new RecordingLogger();
    Slf4jAuditSink sink = Slf4jAuditSink.builder().clock(clock).logger(log)
        .denialWindow(Duration.ofSeconds(10)).build();
    int threads = 6;
    int perThread = 50_000;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < perThread; i++) {
            String grant = GRANTS[(i + thread) % GRANTS.length];
            sink.record(AuditEvent.builder(AuditEventType.DENIED, clock.instant())
                .grantId(grant).reason(i % 2 == 0 ? "REVOKED" : "OUT_OF_SCOPE").build());
            if (rollWindows && thread == 0 && i % 997 == 0) {
              clock.advance(Duration.ofSeconds(3));
            }
            if (thread == 1 && i % 5_003 == 0) {
              sink.flush();
            }
          }
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    sink.flush();

    long firstLines = 0;
    long counted = 0;
    for (RecordingLogger.Line line : log.lines()) {
      assertEquals(Level.WARN, line.level());
      Object count = line.get("count");
      if (count == null) {
        firstLines++;
      } else {
        assertTrue((Long) count > 0, "a summary counts something");
        counted += (Long) count;
      }
    }
    assertEquals((long) threads * perThread, firstLines + counted,
        firstLines + " first lines + " + counted + " counted");
    if (!rollWindows) {
      assertEquals(GRANTS.length * 2, firstLines, "one window per grant and reason");
    }
  }
}
