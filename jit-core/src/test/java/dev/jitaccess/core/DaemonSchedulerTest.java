package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DaemonSchedulerTest {
  @Test
  void aTaskRunsOnADaemonThreadOfTheGivenName() throws InterruptedException {
    try (DaemonScheduler scheduler = new DaemonScheduler("jit-test-scheduler")) {
      AtomicReference<Thread> ran = new AtomicReference<>();
      CountDownLatch done = new CountDownLatch(1);
      scheduler.schedule(() -> {
        ran.set(Thread.currentThread());
        done.countDown();
      }, Duration.ofSeconds(-5)); // a negative delay: at once
      assertTrue(done.await(10, TimeUnit.SECONDS));
      assertEquals("jit-test-scheduler", ran.get().getName());
      assertTrue(ran.get().isDaemon());
    }
  }

  @Test
  void aCancelledTaskNeverRunsAndADelayPastACenturyIsAccepted() throws InterruptedException {
    try (DaemonScheduler scheduler = new DaemonScheduler("jit-test-scheduler")) {
      AtomicBoolean ran = new AtomicBoolean();
      Scheduler.Cancellable far = scheduler.schedule(() -> ran.set(true),
          Duration.ofDays(365L * 1_000));
      far.cancel();
      CountDownLatch next = new CountDownLatch(1);
      scheduler.schedule(next::countDown, Duration.ZERO);
      assertTrue(next.await(10, TimeUnit.SECONDS));
      assertFalse(ran.get());
    }
  }

  @Test
  void aClosedSchedulerRefusesTasks() {
    DaemonScheduler scheduler = new DaemonScheduler("jit-test-scheduler");
    scheduler.close();
    assertThrows(RejectedExecutionException.class,
        () -> scheduler.schedule(() -> { }, Duration.ZERO));
  }

  @Test
  void aThreadNameThatIsNotANameIsRefusedNamingTheField() {
    IllegalArgumentException blank =
        assertThrows(IllegalArgumentException.class, () -> new DaemonScheduler(" "));
    assertTrue(blank.getMessage().startsWith("threadName"), blank.getMessage());
    IllegalArgumentException control =
        assertThrows(IllegalArgumentException.class, () -> new DaemonScheduler("jit\nx"));
    assertTrue(control.getMessage().startsWith("threadName"), control.getMessage());
  }

  @Test
  void aMissingTaskOrDelayIsRefusedNamingTheField() {
    try (DaemonScheduler scheduler = new DaemonScheduler("jit-test-scheduler")) {
      NullPointerException task = assertThrows(NullPointerException.class,
          () -> scheduler.schedule(null, Duration.ZERO));
      assertEquals("task must not be null", task.getMessage());
      NullPointerException delay = assertThrows(NullPointerException.class,
          () -> scheduler.schedule(() -> { }, null));
      assertEquals("delay must not be null", delay.getMessage());
    }
  }
}
