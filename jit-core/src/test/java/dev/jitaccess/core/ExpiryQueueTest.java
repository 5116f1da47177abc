package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ExpiryQueueTest {

  @Test
  void everyTimerFiresOnceExactlyAtItsInstantWhateverTheOrderAndTheSteps() {
    qt().withExamples(300).forAll(
        lists().of(integers().between(0, 5_000)).ofSizeBetween(1, 200),
        lists().of(integers().between(0, 700)).ofSizeBetween(1, 30))
        .checkAssert((offsetsMillis, stepsMillis) -> {
          FakeClock clock = new FakeClock();
          Instant start = clock.instant();
          Map<String, Instant> firedAt = new HashMap<>();
          List<String> order = new ArrayList<>();
          ExpiryQueue queue = new ExpiryQueue(clock, clock, id -> {
            assertEquals(null, firedAt.put(id, clock.instant()), "fired twice: " + id);
            order.add(id);
          });
          Map<String, Instant> due = new HashMap<>();
          for (int i = 0; i < offsetsMillis.size(); i++) {
            Instant at = start.plusMillis(offsetsMillis.get(i)).plusNanos(i);
            due.put("g" + i, at);
            queue.add("g" + i, at);
          }
          for (int step : stepsMillis) {
            clock.advance(Duration.ofMillis(step));
            for (Map.Entry<String, Instant> e : due.entrySet()) {
              boolean passed = !e.getValue().isAfter(clock.instant());
              assertEquals(passed, firedAt.containsKey(e.getKey()), e.getKey());
            }
          }
          clock.advance(Duration.ofSeconds(10));
          assertEquals(due, firedAt);
          for (int i = 1; i < order.size(); i++) {
            assertTrue(!due.get(order.get(i)).isBefore(due.get(order.get(i - 1))), "out of order");
          }
          assertEquals(0, queue.size());
          assertEquals(0, clock.pendingTasks());
        });
  }

  @Test
  void aTimerAddedFromTheCallbackForTheSameInstantRunsInTheSameAdvance() {
    FakeClock clock = new FakeClock();
    List<String> fired = new ArrayList<>();
    ExpiryQueue[] queue = new ExpiryQueue[1];
    queue[0] = new ExpiryQueue(clock, clock, id -> {
      fired.add(id);
      if (id.equals("first")) {
        queue[0].add("again", clock.instant().plusSeconds(1));
      }
    });
    queue[0].add("first", clock.instant().plusSeconds(1));
    clock.advance(Duration.ofSeconds(5));
    assertEquals(List.of("first", "again"), fired);
  }

  @Test
  void concurrentAddsAreAllFired() throws Exception {
    FakeClock clock = new FakeClock();
    Map<String, Boolean> fired = new ConcurrentHashMap<>();
    ExpiryQueue queue = new ExpiryQueue(clock, clock, id -> fired.put(id, Boolean.TRUE));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    CountDownLatch done = new CountDownLatch(4);
    for (int t = 0; t < 4; t++) {
      int thread = t;
      pool.execute(() -> {
        for (int i = 0; i < 5_000; i++) {
          queue.add(thread + "-" + i, clock.instant().plusMillis((i * 7919L) % 10_000));
        }
        done.countDown();
      });
    }
    assertTrue(done.await(30, TimeUnit.SECONDS));
    pool.shutdown();
    clock.advance(Duration.ofSeconds(11));
    assertEquals(20_000, fired.size());
    assertEquals(0, queue.size());
  }

  /** A queue with "late" (+600 s) scheduled, whose add of "early" (+300 s) was refused. */
  private record Refused(FakeClock clock, List<String> fired, ExpiryQueue queue) {
    static Refused early() {
      FakeClock clock = new FakeClock();
      AtomicBoolean refuse = new AtomicBoolean();
      List<String> fired = new ArrayList<>();
      ExpiryQueue queue =
          new ExpiryQueue(Fixture.refusingWhile(refuse, clock), clock, fired::add);
      queue.add("late", clock.instant().plusSeconds(600));
      refuse.set(true);
      RejectedExecutionException thrown = assertThrows(RejectedExecutionException.class,
          () -> queue.add("early", clock.instant().plusSeconds(300)));
      assertEquals("scheduler refused the task", thrown.getMessage());
      refuse.set(false);
      return new Refused(clock, fired, queue);
    }
  }

  @Test
  void aRefusedScheduleKeepsTheTimerAndTheNextAddSchedulesTheOverdueOnesToo() {
    Refused r = Refused.early();
    FakeClock clock = r.clock();
    List<String> fired = r.fired();
    ExpiryQueue queue = r.queue();
    assertEquals(2, queue.size(), "the refused timer is kept");
    clock.advance(Duration.ofSeconds(400)); // the pending task for "late" has not run yet
    assertEquals(List.of(), fired);
    queue.add("latest", clock.instant().plusSeconds(600)); // schedules the head: "early", overdue
    clock.advance(Duration.ZERO);
    assertEquals(List.of("early"), fired);
    clock.advance(Duration.ofSeconds(800));
    assertEquals(List.of("early", "late", "latest"), fired);
    assertEquals(0, queue.size());
  }

  @Test
  void aRefusedScheduleWithATaskPendingLeavesThatTaskToFireTheRefusedTimerWhenItRuns() {
    Refused r = Refused.early();
    assertEquals(1, r.clock().pendingTasks(), "the task for \"late\" is still pending");
    r.clock().advance(Duration.ofSeconds(600));
    assertEquals(List.of("early", "late"), r.fired());
  }

  @Test
  void aCallbackThatThrowsDoesNotStopTheOtherDueTimers() {
    FakeClock clock = new FakeClock();
    List<String> fired = new ArrayList<>();
    ExpiryQueue queue = new ExpiryQueue(clock, clock, id -> {
      fired.add(id);
      if (id.equals("a")) {
        throw new IllegalStateException("callback failed");
      }
      if (id.equals("b")) {
        throw new AssertionError("an Error from a callback");
      }
    });
    queue.add("a", clock.instant().plusSeconds(1));
    queue.add("b", clock.instant().plusSeconds(1));
    queue.add("c", clock.instant().plusSeconds(1));
    queue.add("d", clock.instant().plusSeconds(2));
    clock.advance(Duration.ofSeconds(5)); // would rethrow what escaped the queue's task
    assertEquals(List.of("a", "b", "c", "d"), fired.stream().sorted().toList());
  }

  @Test
  void aSchedulerThatRunsTheTaskBeforeReturningLosesNoTimer() {
    FakeClock clock = new FakeClock();
    List<String> fired = new ArrayList<>();
    ExpiryQueue queue = new ExpiryQueue(inlineWhenDue(clock, new AtomicBoolean()), clock,
        fired::add);
    queue.add("now", clock.instant());
    queue.add("later", clock.instant().plusSeconds(1));
    queue.add("latest", clock.instant().plusSeconds(2));
    assertEquals(List.of("now"), fired);
    clock.advance(Duration.ofSeconds(3));
    assertEquals(List.of("now", "later", "latest"), fired);
    assertEquals(0, queue.size());
  }

  /** Runs a task that is already due inside {@code schedule}; later ones on the clock. */
  private static Scheduler inlineWhenDue(FakeClock clock, AtomicBoolean refuseLater) {
    return (task, delay) -> {
      if (delay.isZero() || delay.isNegative()) {
        task.run();
        return () -> { };
      }
      return Fixture.refusingWhile(refuseLater, clock).schedule(task, delay);
    };
  }

  @Test
  void aTaskRunInsideScheduleWhoseNextScheduleIsRefusedLeavesThePendingTaskToFireTheRest() {
    FakeClock clock = new FakeClock();
    AtomicBoolean refuseLater = new AtomicBoolean();
    List<String> fired = new ArrayList<>();
    ExpiryQueue queue = new ExpiryQueue(inlineWhenDue(clock, refuseLater), clock, fired::add);
    queue.add("late", clock.instant().plusSeconds(600));
    refuseLater.set(true);
    queue.add("now", clock.instant()); // runs at once; scheduling "late" again is refused
    refuseLater.set(false);
    assertEquals(List.of("now"), fired);
    clock.advance(Duration.ofSeconds(700));
    assertEquals(List.of("now", "late"), fired);
  }

  @Test
  void aSchedulerThatRunsTheTaskInsideScheduleAndThenThrowsStillCallsBackTheTimersItTook() {
    FakeClock clock = new FakeClock();
    List<String> fired = new ArrayList<>();
    ExpiryQueue queue = new ExpiryQueue((task, delay) -> {
      task.run();
      throw new RejectedExecutionException("ran the task, then failed");
    }, clock, fired::add);
    assertThrows(RejectedExecutionException.class, () -> queue.add("due", clock.instant()));
    assertEquals(List.of("due"), fired);
    assertEquals(0, queue.size());
  }

  @Test
  void aSchedulerErrorKeepsTheTimerAndTheNextAddSchedulesIt() {
    FakeClock clock = new FakeClock();
    AtomicBoolean fail = new AtomicBoolean(true);
    List<String> fired = new ArrayList<>();
    ExpiryQueue queue = new ExpiryQueue((task, delay) -> {
      if (fail.get()) {
        throw new NoClassDefFoundError("com/example/SchedulerDependency");
      }
      return clock.schedule(task, delay);
    }, clock, fired::add);
    assertThrows(NoClassDefFoundError.class,
        () -> queue.add("first", clock.instant().plusSeconds(10)));
    fail.set(false);
    queue.add("second", clock.instant().plusSeconds(20));
    clock.advance(Duration.ofSeconds(10));
    assertEquals(List.of("first"), fired);
    clock.advance(Duration.ofSeconds(10));
    assertEquals(List.of("first", "second"), fired);
  }

  @Test
  void callbacksOfATaskRunInsideScheduleRunAfterTheQueueIsUnlocked() throws Exception {
    FakeClock clock = new FakeClock();
    ExpiryQueue[] queue = new ExpiryQueue[1];
    AtomicBoolean otherAdded = new AtomicBoolean();
    queue[0] = new ExpiryQueue(inlineWhenDue(clock, new AtomicBoolean()), clock, id -> {
      // A callback that hands work to another thread and waits for it, as a listener may.
      Thread other = new Thread(() -> {
        queue[0].add("other", clock.instant().plusSeconds(60));
        otherAdded.set(true);
      });
      other.start();
      try {
        other.join(10_000);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    queue[0].add("due", clock.instant());
    assertTrue(otherAdded.get(), "another thread's add was blocked by a callback under the lock");
    assertEquals(1, queue[0].size());
  }
}
