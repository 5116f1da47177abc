package dev.jitaccess.core;

import dev.jitaccess.Grant;

/**
 * The body of a task run under a grant by {@link JitAccess#call}.
 *
 * @param <T> the result
 * @param <E> the checked exception the body may throw, which propagates unchanged
 */
@FunctionalInterface
public interface TaskCallable<T, E extends Exception> {
  /** Runs the task with its grant and returns its result. */
  T call(Grant grant) throws E;
}
