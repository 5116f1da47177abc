package dev.jitaccess.spi;

import dev.jitaccess.Grant;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * Keeps grants: the source of truth the runtime reads on every check.
 *
 * <p>Contract, which the testkit's {@code GrantStoreCompatibilityKit} verifies:
 *
 * <ul>
 *   <li>{@link #get} returns the latest snapshot that was {@link #insert inserted} or {@link
 *       #compareAndSet set}, or null; it never returns a stale snapshot after a later write has
 *       returned (no caching that outlives a revocation).
 *   <li>{@link #compareAndSet} is atomic: of two racing calls with the same {@code expected}, at
 *       most one succeeds, so no state change is ever lost.
 *   <li>A grant may be deleted once it has been terminal (or past its {@code notAfter}) for a
 *       retention of the store's choosing; a deleted grant is unknown, which every check denies.
 *   <li>The queries see every grant whose insert returned before the query began.
 * </ul>
 *
 * <p>Implementations must be thread-safe. An exception thrown here makes the runtime fail closed:
 * checks deny with {@code BACKEND_FAILURE}, mutations throw.
 */
public interface GrantStore {
  /**
   * Stores a new grant.
   *
   * @throws IllegalStateException if a grant with the same id exists
   */
  void insert(Grant grant);

  /**
   * The current snapshot of the grant {@code id}, or null if unknown. On the check path {@code id}
   * is the caller's input as given: 1 to 1024 characters, not necessarily well formed; treat it as
   * untrusted (bind it as a parameter, never splice it into a query).
   */
  @Nullable Grant get(String id);

  /**
   * Replaces the stored snapshot with {@code replacement} if, and only if, it still equals {@code
   * expected}. Both must have the same id.
   *
   * @return whether the replacement was stored
   */
  boolean compareAndSet(Grant expected, Grant replacement);

  /** The grants of a subject, in no particular order. */
  Collection<Grant> findBySubject(String subject);

  /** The grants of an owner, in no particular order. */
  Collection<Grant> findByOwner(String owner);

  /** The grants of a task, in no particular order. */
  Collection<Grant> findByTask(String task);

  /** The grants delegated directly from {@code parentId}, in no particular order. */
  Collection<Grant> findByParent(String parentId);
}
