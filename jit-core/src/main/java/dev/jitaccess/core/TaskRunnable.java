package dev.jitaccess.core;

import dev.jitaccess.Grant;

/**
 * The body of a task run under a grant by {@link JitAccess#run}.
 *
 * @param <E> the checked exception the body may throw, which propagates unchanged
 */
@FunctionalInterface
public interface TaskRunnable<E extends Exception> {
  /** Runs the task with its grant. */
  void run(Grant grant) throws E;
}
