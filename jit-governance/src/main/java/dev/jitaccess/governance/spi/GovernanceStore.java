package dev.jitaccess.governance.spi;

import dev.jitaccess.governance.AccessRequest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where access requests (with their approvals, rejections and reviews) and break-glass locks are
 * kept. Every replica of an application shares one store, so that a request made on one is
 * approved on another. A request changes only by {@link #compareAndSet}: of two concurrent
 * decisions on one snapshot, exactly one is stored.
 *
 * <p>Implementations must be thread-safe and linearizable per request and per subject lock. An
 * exception thrown here fails the call that made it, and nothing is half-written. {@code
 * GovernanceStoreCompatibilityKit} in {@code jit-testkit} checks an implementation.
 */
public interface GovernanceStore {
  /**
   * Stores a new request.
   *
   * @throws IllegalStateException if a request with its id exists
   */
  void insert(AccessRequest request);

  /** The latest snapshot of the request, or null. */
  @Nullable AccessRequest get(String requestId);

  /**
   * Replaces {@code expected} by {@code next} if the stored snapshot is still {@code expected}
   * (same id and version); {@code next} has the next version.
   *
   * @return whether it was replaced
   * @throws IllegalArgumentException if {@code next} is not the next version of the same request
   */
  boolean compareAndSet(AccessRequest expected, AccessRequest next);

  /**
   * Up to {@code limit} requests with a deadline at or before {@code now} that still needs acting
   * on: PENDING past its request TTL, APPROVED past its activation window, and break-glass
   * requests not reviewed by their review deadline. Oldest deadline first.
   */
  List<AccessRequest> due(Instant now, int limit);

  /** Up to {@code limit} PENDING requests, oldest first: what approvers are asked to decide. */
  List<AccessRequest> pending(int limit);

  /**
   * Locks {@code lock.subject()}'s break-glass, unless it is locked already.
   *
   * @return whether this call locked it
   */
  boolean lock(BreakGlassLock lock);

  /** The lock on {@code subject}'s break-glass, if any. */
  Optional<BreakGlassLock> lockOf(String subject);

  /**
   * Removes {@code lock}, if it is still the lock on its subject.
   *
   * @return whether this call removed it
   */
  boolean unlock(BreakGlassLock lock);
}
