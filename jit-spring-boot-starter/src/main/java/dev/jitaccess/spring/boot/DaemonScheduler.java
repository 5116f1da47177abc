package dev.jitaccess.spring.boot;

import dev.jitaccess.spi.Scheduler;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** The starter's scheduler: one daemon thread, {@code jit-scheduler}, stopped by close(). */
final class DaemonScheduler implements Scheduler, AutoCloseable {
  /** Longer delays are clamped; the library re-reads the clock and reschedules if early. */
  private static final Duration MAX_DELAY = Duration.ofDays(365L * 100);

  private final ScheduledThreadPoolExecutor executor;

  DaemonScheduler() {
    executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, "jit-scheduler");
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    long nanos = delay.isNegative() ? 0
        : delay.compareTo(MAX_DELAY) > 0 ? MAX_DELAY.toNanos() : delay.toNanos();
    ScheduledFuture<?> future = executor.schedule(task, nanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
