package dev.jitaccess.testkit.time;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.spi.Scheduler;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FakeClockTest {
  private static final Duration HOUR = Duration.ofHours(1);

  @Nested
  class Reading {
    @Test
    void startsAtTheDefaultStartInUtc() {
      FakeClock clock = new FakeClock();
      assertEquals(FakeClock.DEFAULT_START, clock.instant());
      assertEquals(ZoneOffset.UTC, clock.getZone());
    }

    @Test
    void startsWhereItIsToldTo() {
      Instant start = Instant.parse("2030-01-01T00:00:00Z");
      assertEquals(start, FakeClock.at(start).instant());
      assertEquals(start, new FakeClock(start).instant());
    }

    @Test
    void doesNotMoveByItself() {
      FakeClock clock = new FakeClock();
      Instant first = clock.instant();
      long ticks = clock.nanoTime();
      assertEquals(first, clock.instant());
      assertEquals(ticks, clock.nanoTime());
    }

    @Test
    void withZoneSharesTimeAndTasks() {
      FakeClock clock = new FakeClock();
      FakeClock paris = clock.withZone(ZoneId.of("Europe/Paris"));
      List<String> ran = new ArrayList<>();
      paris.schedule(() -> ran.add("task"), Duration.ofMinutes(1));
      clock.advance(Duration.ofMinutes(1));
      assertEquals(List.of("task"), ran);
      assertEquals(clock.instant(), paris.instant());
      assertEquals(ZoneId.of("Europe/Paris"), paris.getZone());
      assertEquals(ZoneOffset.UTC, clock.getZone());
    }

    @Test
    void advanceAndSetToReturnTheSameClockForChaining() {
      FakeClock clock = new FakeClock();
      assertSame(clock, clock.advance(Duration.ofSeconds(1)));
      assertSame(clock, clock.setTo(clock.instant().plusSeconds(1)));
    }
  }

  @Nested
  class NearOverflow {
    @Test
    void advancesOneDayBeforeInstantMax() {
      Instant start = Instant.MAX.minus(Duration.ofDays(1));
      FakeClock clock = new FakeClock(start);
      clock.advance(HOUR);
      assertEquals(start.plus(HOUR), clock.instant());
      clock.advance(Duration.ofHours(23));
      assertEquals(Instant.MAX, clock.instant());
    }

    @Test
    void reachesInstantMaxExactly() {
      FakeClock clock = new FakeClock(Instant.MAX.minusSeconds(10));
      clock.setTo(Instant.MAX);
      assertEquals(Instant.MAX, clock.instant());
      clock.advance(Duration.ZERO);
      assertEquals(Instant.MAX, clock.instant());
    }

    @Test
    void advancingPastInstantMaxIsRejectedNamingTheRule() {
      FakeClock clock = new FakeClock(Instant.MAX.minus(Duration.ofDays(1)));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> clock.advance(Duration.ofDays(2)));
      assertEquals("amount must keep the clock at or before Instant.MAX, was PT48H",
          e.getMessage());
      assertEquals(Instant.MAX.minus(Duration.ofDays(1)), clock.instant(), "clock must not move");
    }

    @Test
    void advancingByAHugeDurationIsRejectedNotWrapped() {
      FakeClock clock = new FakeClock();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> clock.advance(Duration.ofSeconds(Long.MAX_VALUE)));
      assertTrue(e.getMessage().startsWith("amount must keep the clock at or before Instant.MAX"),
          e.getMessage());
    }

    @Test
    void worksPastYear2262WhereEpochNanosOverflowALong() {
      Instant start = Instant.parse("2263-01-01T00:00:00Z");
      assertThrows(ArithmeticException.class,
          () -> Math.multiplyExact(start.getEpochSecond(), 1_000_000_000L),
          "precondition: epoch nanos of the start do not fit a long");
      FakeClock clock = new FakeClock(start);
      long t0 = clock.nanoTime();
      List<Instant> seen = new ArrayList<>();
      clock.schedule(() -> seen.add(clock.instant()), Duration.ofMinutes(5));
      clock.advance(Duration.ofMinutes(10));
      assertEquals(List.of(start.plus(Duration.ofMinutes(5))), seen);
      assertEquals(start.plus(Duration.ofMinutes(10)), clock.instant());
      assertEquals(Duration.ofMinutes(10).toNanos(), clock.nanoTime() - t0);
    }

    @Test
    void startsAtInstantMinAndAdvances() {
      FakeClock clock = new FakeClock(Instant.MIN);
      clock.advance(Duration.ofDays(365));
      assertEquals(Instant.MIN.plus(Duration.ofDays(365)), clock.instant());
    }

    @Test
    void aDelayBeyondInstantMaxRunsAtInstantMax() {
      FakeClock clock = new FakeClock(Instant.MAX.minus(Duration.ofDays(1)));
      AtomicInteger runs = new AtomicInteger();
      clock.schedule(runs::incrementAndGet, Duration.ofDays(10));
      clock.advance(Duration.ofHours(23));
      assertEquals(0, runs.get());
      clock.setTo(Instant.MAX);
      assertEquals(1, runs.get());
    }
  }

  @Nested
  class Ticker {
    @Test
    void startsNearLongMaxValue() {
      long start = new FakeClock().nanoTime();
      assertTrue(start > Long.MAX_VALUE - Duration.ofDays(1).toNanos(),
          "ticker should start near Long.MAX_VALUE, was " + start);
    }

    @Test
    void wrapsLikeSystemNanoTimeAndDifferencesStayRight() {
      FakeClock clock = new FakeClock();
      long t0 = clock.nanoTime();
      clock.advance(Duration.ofHours(2));
      long t1 = clock.nanoTime();
      assertTrue(t1 < t0, "the ticker should have wrapped past Long.MAX_VALUE");
      assertEquals(Duration.ofHours(2).toNanos(), t1 - t0);
      clock.advance(Duration.ofNanos(1));
      assertEquals(Duration.ofHours(2).toNanos() + 1, clock.nanoTime() - t0);
    }

    @Test
    void tickerSupplierReadsTheSameValue() {
      FakeClock clock = new FakeClock();
      clock.advance(Duration.ofMillis(1234));
      assertEquals(clock.nanoTime(), clock.ticker().getAsLong());
    }

    @Test
    void movesWithTheClockInsideTasks() {
      FakeClock clock = new FakeClock();
      long t0 = clock.nanoTime();
      List<Long> seen = new ArrayList<>();
      clock.schedule(() -> seen.add(clock.nanoTime() - t0), Duration.ofSeconds(3));
      clock.advance(Duration.ofSeconds(10));
      assertEquals(List.of(Duration.ofSeconds(3).toNanos()), seen);
    }

    @Test
    void subNanosecondPrecisionIsKeptAcrossManySteps() {
      FakeClock clock = new FakeClock();
      long t0 = clock.nanoTime();
      for (int i = 0; i < 1000; i++) {
        clock.advance(Duration.ofNanos(999_999_999));
      }
      assertEquals(999_999_999L * 1000, clock.nanoTime() - t0);
    }
  }

  @Nested
  class Tasks {
    @Test
    void runInDueOrderEachSeeingItsDueInstant() {
      FakeClock clock = new FakeClock();
      Instant start = clock.instant();
      List<String> ran = new ArrayList<>();
      clock.schedule(() -> ran.add("c@" + Duration.between(start, clock.instant())),
          Duration.ofSeconds(30));
      clock.schedule(() -> ran.add("a@" + Duration.between(start, clock.instant())),
          Duration.ofSeconds(10));
      clock.schedule(() -> ran.add("b@" + Duration.between(start, clock.instant())),
          Duration.ofSeconds(20));
      clock.advance(Duration.ofMinutes(1));
      assertEquals(List.of("a@PT10S", "b@PT20S", "c@PT30S"), ran);
      assertEquals(start.plus(Duration.ofMinutes(1)), clock.instant());
    }

    @Test
    void tasksDueAtTheSameInstantRunInScheduleOrder() {
      FakeClock clock = new FakeClock();
      List<Integer> ran = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        int n = i;
        clock.schedule(() -> ran.add(n), Duration.ofSeconds(5));
      }
      clock.advance(Duration.ofSeconds(5));
      assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ran);
    }

    @Test
    void aTaskDueExactlyAtTheTargetRuns() {
      FakeClock clock = new FakeClock();
      AtomicInteger runs = new AtomicInteger();
      clock.schedule(runs::incrementAndGet, Duration.ofSeconds(5));
      clock.advance(Duration.ofSeconds(4).plusNanos(999_999_999));
      assertEquals(0, runs.get(), "one nanosecond early");
      clock.advance(Duration.ofNanos(1));
      assertEquals(1, runs.get());
    }

    @Test
    void aZeroOrNegativeDelayRunsAtTheNextAdvanceEvenByZero() {
      FakeClock clock = new FakeClock();
      AtomicInteger runs = new AtomicInteger();
      clock.schedule(runs::incrementAndGet, Duration.ZERO);
      clock.schedule(runs::incrementAndGet, Duration.ofSeconds(-5));
      assertEquals(0, runs.get(), "scheduling must not run the task");
      Instant before = clock.instant();
      clock.advance(Duration.ZERO);
      assertEquals(2, runs.get());
      assertEquals(before, clock.instant());
    }

    @Test
    void aTaskScheduledByATaskWithinTheWindowRunsInTheSameAdvance() {
      FakeClock clock = new FakeClock();
      Instant start = clock.instant();
      List<Duration> ran = new ArrayList<>();
      clock.schedule(() -> {
        ran.add(Duration.between(start, clock.instant()));
        clock.schedule(() -> ran.add(Duration.between(start, clock.instant())),
            Duration.ofSeconds(15));
        clock.schedule(() -> ran.add(Duration.between(start, clock.instant())),
            Duration.ofMinutes(5));
      }, Duration.ofSeconds(10));
      clock.advance(Duration.ofMinutes(1));
      assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(25)), ran);
      assertEquals(1, clock.pendingTasks(), "the task due after the window waits");
      clock.advance(Duration.ofMinutes(5));
      assertEquals(Duration.ofSeconds(310), ran.get(2));
    }

    @Test
    void aTaskThatReschedulesItselfWithZeroDelayRunsOnceMorePerAdvance() {
      FakeClock clock = new FakeClock();
      AtomicInteger runs = new AtomicInteger();
      Runnable[] self = new Runnable[1];
      self[0] = () -> {
        if (runs.incrementAndGet() < 3) {
          clock.schedule(self[0], Duration.ZERO);
        }
      };
      clock.schedule(self[0], Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(1));
      assertEquals(3, runs.get());
    }

    @Test
    void cancelledTasksDoNotRun() {
      FakeClock clock = new FakeClock();
      AtomicInteger runs = new AtomicInteger();
      Scheduler.Cancellable first = clock.schedule(runs::incrementAndGet, Duration.ofSeconds(1));
      clock.schedule(() -> runs.addAndGet(10), Duration.ofSeconds(2));
      assertEquals(2, clock.pendingTasks());
      first.cancel();
      assertEquals(1, clock.pendingTasks());
      clock.advance(Duration.ofSeconds(5));
      assertEquals(10, runs.get());
      assertEquals(0, clock.pendingTasks());
    }

    @Test
    void cancellingAfterTheTaskRanOrTwiceHasNoEffect() {
      FakeClock clock = new FakeClock();
      AtomicInteger runs = new AtomicInteger();
      Scheduler.Cancellable handle = clock.schedule(runs::incrementAndGet, Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(1));
      handle.cancel();
      handle.cancel();
      assertEquals(1, runs.get());
    }

    @Test
    void aTaskMayCancelALaterTaskOfTheSameAdvance() {
      FakeClock clock = new FakeClock();
      AtomicInteger runs = new AtomicInteger();
      Scheduler.Cancellable later = clock.schedule(runs::incrementAndGet, Duration.ofSeconds(2));
      clock.schedule(later::cancel, Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(3));
      assertEquals(0, runs.get());
    }

    @Test
    void aTaskThatAdvancesTheClockFailsTheAdvanceNamingTheRule() {
      FakeClock clock = new FakeClock();
      Instant start = clock.instant();
      clock.schedule(() -> clock.advance(Duration.ofSeconds(1)), Duration.ofSeconds(1));
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> clock.advance(Duration.ofSeconds(5)));
      assertEquals("a scheduled task must not advance the clock", e.getMessage());
      assertEquals(start.plusSeconds(5), clock.instant());
    }

    @Test
    void aFailingTaskDoesNotStopTheOthersAndItsExceptionIsRethrown() {
      FakeClock clock = new FakeClock();
      Instant start = clock.instant();
      List<String> ran = new ArrayList<>();
      clock.schedule(() -> {
        throw new IllegalStateException("first");
      }, Duration.ofSeconds(1));
      clock.schedule(() -> ran.add("second"), Duration.ofSeconds(2));
      clock.schedule(() -> {
        throw new AssertionError("third");
      }, Duration.ofSeconds(3));
      IllegalStateException e =
          assertThrows(IllegalStateException.class, () -> clock.advance(Duration.ofSeconds(10)));
      assertEquals("first", e.getMessage());
      assertEquals(1, e.getSuppressed().length);
      assertEquals("third", e.getSuppressed()[0].getMessage());
      assertEquals(List.of("second"), ran);
      assertEquals(start.plusSeconds(10), clock.instant(), "the clock still reaches its target");
      assertEquals(0, clock.pendingTasks());
    }

    @Test
    void setToRunsDueTasksLikeAdvance() {
      FakeClock clock = new FakeClock();
      Instant start = clock.instant();
      List<Instant> seen = new ArrayList<>();
      clock.schedule(() -> seen.add(clock.instant()), Duration.ofMinutes(1));
      clock.setTo(start.plus(Duration.ofMinutes(2)));
      assertEquals(List.of(start.plus(Duration.ofMinutes(1))), seen);
      clock.setTo(clock.instant());
      assertEquals(start.plus(Duration.ofMinutes(2)), clock.instant(), "setTo now is allowed");
    }
  }

  @Nested
  class Rejections {
    @Test
    void nullStartIsRejectedNamingTheField() {
      NullPointerException e = assertThrows(NullPointerException.class, () -> new FakeClock(null));
      assertEquals("start must not be null", e.getMessage());
      assertThrows(NullPointerException.class, () -> FakeClock.at(null));
    }

    @Test
    void nullAmountIsRejectedNamingTheField() {
      NullPointerException e =
          assertThrows(NullPointerException.class, () -> new FakeClock().advance(null));
      assertEquals("amount must not be null", e.getMessage());
    }

    @Test
    void negativeAmountIsRejectedNamingTheRule() {
      FakeClock clock = new FakeClock();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> clock.advance(Duration.ofSeconds(-1)));
      assertEquals("amount must be >= 0, was PT-1S", e.getMessage());
      assertEquals(FakeClock.DEFAULT_START, clock.instant());
    }

    @Test
    void nullTargetIsRejectedNamingTheField() {
      NullPointerException e =
          assertThrows(NullPointerException.class, () -> new FakeClock().setTo(null));
      assertEquals("target must not be null", e.getMessage());
    }

    @Test
    void settingTheClockBackwardsIsRejectedNamingTheRule() {
      FakeClock clock = new FakeClock();
      Instant earlier = clock.instant().minusNanos(1);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> clock.setTo(earlier));
      assertEquals("target must not be before the current instant " + clock.instant()
          + ", was " + earlier, e.getMessage());
      assertEquals(FakeClock.DEFAULT_START, clock.instant());
    }

    @Test
    void nullTaskOrDelayIsRejectedNamingTheField() {
      FakeClock clock = new FakeClock();
      NullPointerException task = assertThrows(NullPointerException.class,
          () -> clock.schedule(null, Duration.ZERO));
      NullPointerException delay = assertThrows(NullPointerException.class,
          () -> clock.schedule(() -> { }, null));
      assertAll(
          () -> assertEquals("task must not be null", task.getMessage()),
          () -> assertEquals("delay must not be null", delay.getMessage()),
          () -> assertEquals(0, clock.pendingTasks()));
    }

    @Test
    void nullZoneIsRejectedNamingTheField() {
      NullPointerException e =
          assertThrows(NullPointerException.class, () -> new FakeClock().withZone(null));
      assertEquals("zone must not be null", e.getMessage());
    }
  }

  @Nested
  class Concurrency {
    @Test
    void readersAndSchedulersMayRunWhileTheClockAdvances() throws Exception {
      FakeClock clock = new FakeClock();
      int schedulers = 3;
      int tasksPerScheduler = 2_000;
      ExecutorService pool = Executors.newFixedThreadPool(schedulers + 2);
      AtomicBoolean advancing = new AtomicBoolean(true);
      AtomicInteger ran = new AtomicInteger();
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      try {
        // Readers: time never goes backwards, the ticker never runs backwards.
        for (int r = 0; r < 2; r++) {
          futures.add(pool.submit(() -> {
            start.await();
            Instant last = clock.instant();
            long lastTicks = clock.nanoTime();
            while (advancing.get()) {
              Instant now = clock.instant();
              long ticks = clock.nanoTime();
              if (now.isBefore(last)) {
                problems.add("instant went back from " + last + " to " + now);
              }
              if (ticks - lastTicks < 0) {
                problems.add("ticker went back by " + (lastTicks - ticks));
              }
              last = now;
              lastTicks = ticks;
            }
            return null;
          }));
        }
        // Schedulers: no task runs before its delay has passed, every task runs exactly once.
        for (int s = 0; s < schedulers; s++) {
          int seed = s;
          futures.add(pool.submit(() -> {
            start.await();
            for (int i = 0; i < tasksPerScheduler; i++) {
              Duration delay = Duration.ofMillis((i * 7L + seed * 13L) % 5_000);
              Instant earliest = clock.instant().plus(delay);
              AtomicBoolean once = new AtomicBoolean();
              clock.schedule(() -> {
                if (clock.instant().isBefore(earliest)) {
                  problems.add("task ran at " + clock.instant() + ", before " + earliest);
                }
                if (!once.compareAndSet(false, true)) {
                  problems.add("task ran twice");
                }
                ran.incrementAndGet();
              }, delay);
            }
            return null;
          }));
        }
        start.countDown();
        for (int i = 0; i < 5_000; i++) {
          clock.advance(Duration.ofMillis(1));
        }
        for (Future<?> f : futures.subList(2, futures.size())) {
          f.get(30, TimeUnit.SECONDS);
        }
        advancing.set(false);
        for (Future<?> f : futures) {
          f.get(30, TimeUnit.SECONDS);
        }
        clock.advance(Duration.ofSeconds(10));
      } finally {
        advancing.set(false);
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
      }
      assertEquals(List.of(), new ArrayList<>(problems));
      assertEquals(schedulers * tasksPerScheduler, ran.get());
      assertEquals(0, clock.pendingTasks());
    }

    @Test
    void concurrentAdvancesAreSerializedAndAddUp() throws Exception {
      FakeClock clock = new FakeClock();
      long t0 = clock.nanoTime();
      List<Instant> seen = Collections.synchronizedList(new ArrayList<>());
      for (int i = 1; i <= 400; i++) {
        clock.schedule(() -> seen.add(clock.instant()), Duration.ofSeconds(i));
      }
      ExecutorService pool = Executors.newFixedThreadPool(4);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          futures.add(pool.submit(() -> {
            for (int i = 0; i < 100; i++) {
              clock.advance(Duration.ofSeconds(1));
            }
          }));
        }
        for (Future<?> f : futures) {
          f.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(FakeClock.DEFAULT_START.plusSeconds(400), clock.instant());
      assertEquals(Duration.ofSeconds(400).toNanos(), clock.nanoTime() - t0);
      assertEquals(400, seen.size());
      for (int i = 1; i < seen.size(); i++) {
        assertTrue(seen.get(i).isAfter(seen.get(i - 1)), "tasks must run in due order");
      }
      assertFalse(seen.isEmpty());
    }

    @Test
    void racingSetToNeverMovesTheClockBackwards() throws Exception {
      FakeClock clock = new FakeClock();
      Instant start = clock.instant();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int offset = t;
          futures.add(pool.submit(() -> {
            for (int i = 0; i < 500; i++) {
              Instant target = start.plusSeconds(i * 4L + offset);
              Instant before = clock.instant();
              try {
                clock.setTo(target);
              } catch (IllegalArgumentException e) {
                if (!e.getMessage().startsWith("target must not be before the current instant")) {
                  problems.add(e.getMessage());
                }
              }
              if (clock.instant().isBefore(before)) {
                problems.add("clock went back from " + before + " to " + clock.instant());
              }
            }
          }));
        }
        for (Future<?> f : futures) {
          f.get(30, TimeUnit.SECONDS);
        }
      } finally {
        pool.shutdownNow();
      }
      assertEquals(List.of(), new ArrayList<>(problems));
      assertFalse(clock.instant().isBefore(start.plusSeconds(499 * 4L)),
          "the clock must end at or after the latest target any thread set, was " + clock.instant());
    }
  }

  @Test
  void aTaskThatThrowsACheckedExceptionDoesNotStopTheAdvanceAndItsExceptionIsRethrown() {
    FakeClock clock = new FakeClock();
    Instant start = clock.instant();
    java.io.IOException failure = new java.io.IOException("thrown past the compiler");
    List<String> ran = new ArrayList<>();
    clock.schedule(() -> FakeClockTest.<RuntimeException>sneaky(failure), Duration.ofSeconds(1));
    clock.schedule(() -> ran.add("later"), Duration.ofSeconds(2));
    Throwable thrown = assertThrows(Throwable.class, () -> clock.advance(Duration.ofSeconds(5)));
    assertSame(failure, thrown);
    assertEquals(List.of("later"), ran);
    assertEquals(start.plusSeconds(5), clock.instant());
  }

  /** Throws a checked exception from code that does not declare it, as Lombok or Kotlin can. */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> void sneaky(Throwable t) throws T {
    throw (T) t;
  }
}
