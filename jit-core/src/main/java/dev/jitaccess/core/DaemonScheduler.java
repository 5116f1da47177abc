package dev.jitaccess.core;

import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.Scheduler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Scheduler} on one daemon thread of its own, stopped by {@link #close()}: the runtime's
 * default, and one to share between runtimes (or to give a framework to manage). A negative delay
 * runs the task at once; a delay past 100 years is shortened to that, since every task of the
 * library reads the clock again and reschedules itself if it ran early. A cancelled task is
 * removed from the queue. Thread-safe.
 */
public final class DaemonScheduler implements Scheduler, AutoCloseable {
  /** Longer delays are clamped; the task re-reads the clock and reschedules itself if early. */
  private static final Duration MAX_DELAY = Duration.ofDays(365L * 100);

  private final ScheduledThreadPoolExecutor executor;

  /**
   * A scheduler whose thread is named {@code threadName}.
   *
   * @throws IllegalArgumentException if {@code threadName} is not a name (blank, control
   *     characters, over 1,024 characters)
   */
  public DaemonScheduler(String threadName) {
    String name = Validation.name(threadName, "threadName");
    executor = new ScheduledThreadPoolExecutor(1, runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    });
    executor.setRemoveOnCancelPolicy(true);
    executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /**
   * {@inheritDoc}
   *
   * @throws java.util.concurrent.RejectedExecutionException if the scheduler was closed
   */
  @Override
  public Cancellable schedule(Runnable task, Duration delay) {
    Objects.requireNonNull(task, "task must not be null");
    Objects.requireNonNull(delay, "delay must not be null");
    long nanos = delay.isNegative() ? 0 : delay.compareTo(MAX_DELAY) > 0
        ? MAX_DELAY.toNanos()
        : delay.toNanos();
    ScheduledFuture<?> future = executor.schedule(task, nanos, TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  /** Stops the thread; tasks not yet run never run. */
  @Override
  public void close() {
    executor.shutdownNow();
  }
}
