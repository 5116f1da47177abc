package dev.jitaccess.spi;

import java.time.Duration;

/**
 * Runs expiry work later. The runtime asks it to run a task once the configured clock has moved
 * by {@code delay}; the testkit's fake clock implements it so that advancing the clock runs due
 * tasks at once, on the advancing thread.
 *
 * <p>Implementations must be thread-safe. Tasks may run late, never early by more than the
 * clock's own drift; the runtime re-reads the clock when a task runs and reschedules if it is early.
 */
@FunctionalInterface
public interface Scheduler {
  /**
   * Runs {@code task} once after {@code delay}.
   *
   * @return a handle that cancels the task if it has not run yet
   */
  Cancellable schedule(Runnable task, Duration delay);

  /** Cancels a scheduled task. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run; no effect otherwise. */
    void cancel();
  }
}
