package dev.jitaccess.spi;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
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
 *   <li>{@link #compareAndSet} is atomic and decided by {@link Grant#version()}: it replaces the
 *       stored snapshot only if the stored version is {@code expected}'s, so of two racing calls
 *       with the same {@code expected}, at most one succeeds and no state change is ever lost.
 *       The replacement has the next version and differs only in the fields a transition may
 *       change (see {@link Grant}): {@code expiresAt}, {@code usesConsumed}, {@code state},
 *       {@code endReason}, {@code endedAt}; a terminal grant never becomes ACTIVE again.
 *   <li>A grant round-trips whole: every field that {@link Grant#builder()} takes, its version
 *       included, reads back equal.
 *   <li>A grant may be deleted once it has been terminal (or past its {@code notAfter}) for a
 *       retention of the store's choosing; a deleted grant is unknown, which every check denies.
 *   <li>The queries see every grant whose insert returned before the query began; {@link
 *       #findByReference} finds a grant by the reference tokens carry.
 *   <li>{@link #findActiveByExpiry} lists the ACTIVE grants in {@code (expiresAt, id)} order, a
 *       page at a time: on start the runtime reads them all and arms an expiry timer for each,
 *       so a grant minted by a process that is gone is still ended and reported at its expiry.
 *   <li>{@link #endChildren} ends each ACTIVE child of the given parents atomically, as one
 *       {@code compareAndSet} would: a child already ended is left alone and no racing transition
 *       is lost. A store may override it to end a whole batch in one round trip.
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
   * The snapshot of the grant {@code id} as the store's source of truth holds it now, or null: what
   * the runtime reads before it computes a transition and compares and sets it (a revocation, an
   * expiry, a renewal). A store that answers {@link #get} from a copy (a cache that a follower
   * keeps current) reads its source here, so that a copy it cannot prove fresh never stops a
   * revocation. By default, {@link #get}.
   */
  default @Nullable Grant getLatest(String id) {
    return get(id);
  }

  /**
   * Replaces the stored snapshot with {@code replacement} if, and only if, the stored version is
   * still {@code expected.version()}.
   *
   * @return whether the replacement was stored
   * @throws IllegalArgumentException naming the rule, if {@code replacement} does not have {@code
   *     expected}'s id and the next version, changes a field a transition may not change, or
   *     leaves a terminal state
   */
  boolean compareAndSet(Grant expected, Grant replacement);

  /**
   * Up to {@code limit} ACTIVE grants in ascending {@code (expiresAt, id)} order, starting after
   * {@code after} in that order (from the first when null). An empty list ends the listing.
   *
   * @param after the last grant of the previous page, or null for the first page
   * @param limit the most grants to return, {@code > 0}
   */
  List<Grant> findActiveByExpiry(@Nullable Grant after, int limit);

  /**
   * Checks that {@code replacement} is a legal transition of {@code expected}: the same id, the
   * next version, only the fields a transition may change changed, and no way back from a
   * terminal state. For stores to call before they compare and set.
   *
   * @throws IllegalArgumentException naming the rule broken
   */
  static void checkTransition(Grant expected, Grant replacement) {
    if (!expected.id().equals(replacement.id())) {
      throw new IllegalArgumentException("replacement.id must equal expected.id");
    }
    if (!expected.isActive()) {
      throw new IllegalArgumentException("expected.state must be ACTIVE: a "
          + expected.state() + " grant makes no further transition");
    }
    if (replacement.version() != expected.version() + 1) {
      throw new IllegalArgumentException("replacement.version must be expected.version + 1 = "
          + (expected.version() + 1) + ", was " + replacement.version());
    }
    boolean fixedFieldsSame = expected.isSameIssueAs(replacement);
    if (!fixedFieldsSame) {
      throw new IllegalArgumentException("replacement may change only expiresAt, usesConsumed, "
          + "state, endReason, endedAt and version");
    }
  }

  /**
   * The grant whose {@link dev.jitaccess.GrantReference reference} is {@code reference}, or null
   * if this store holds none: how a verifier finds the grant of a token, which carries the
   * reference and never the id. Sees every grant whose insert returned before the call began, and
   * ended grants until they are deleted, like {@link #get}. A store computes the reference with
   * {@link dev.jitaccess.GrantReference#of} when it indexes a grant (for example into an indexed
   * column). {@code reference} is well formed ({@link
   * dev.jitaccess.GrantReference#isWellFormed}) but otherwise untrusted: bind it as a parameter.
   */
  @Nullable Grant findByReference(String reference);

  /** The grants of a subject, in no particular order. */
  Collection<Grant> findBySubject(String subject);

  /** The grants of an owner, in no particular order. */
  Collection<Grant> findByOwner(String owner);

  /** The grants of a task, in no particular order. */
  Collection<Grant> findByTask(String task);

  /** The grants delegated directly from {@code parentId}, in no particular order. */
  Collection<Grant> findByParent(String parentId);

  /**
   * The grants delegated directly from any of {@code parentIds}, ACTIVE or not, in no particular
   * order. The default calls {@link #findByParent} for each; a store may answer in one query.
   */
  default Collection<Grant> findByParents(Collection<String> parentIds) {
    Objects.requireNonNull(parentIds, "parentIds must not be null");
    List<Grant> children = new ArrayList<>();
    for (String parentId : parentIds) {
      children.addAll(findByParent(parentId));
    }
    return children;
  }

  /**
   * Ends up to {@code limit} ACTIVE children of {@code parentIds}: what follows a grant leaving
   * ACTIVE. Each child whose {@code parentId} is among {@code parentIds} and that is ACTIVE is
   * ended: EXPIRED with reason EXPIRED if {@code now} is at or after its {@code expiresAt}, else
   * REVOKED with reason PARENT_REVOKED; {@code endedAt} is {@code now}, the version the next.
   *
   * <p>Contract: each child is ended atomically, as by {@link #compareAndSet} from its current
   * snapshot, so of this call and a racing {@code compareAndSet} on the same child one wins and
   * no transition is lost; a child already ended (or ended meanwhile) is left alone and not
   * returned; only legal transitions are made. The children of the children are not touched.
   * The returned list may hold fewer than {@code limit} grants while ACTIVE children remain (some
   * were ended by another writer meanwhile, or a store ends fewer per call), so a caller calls
   * again until it returns an empty list.
   *
   * <p>The default reads the children with {@link #findByParent} and ends each with {@link
   * #compareAndSet}, reading it again after a lost race; a store may override it to end a batch
   * in one round trip.
   *
   * @param parentIds the ids of the parents, which have ended
   * @param now the time of the transition, from the caller's clock
   * @param limit the most children to end in this call, {@code > 0}
   * @return the snapshots stored, at most {@code limit}, in no particular order
   * @throws IllegalArgumentException if {@code limit} is not positive
   * @throws IllegalStateException if a child kept changing under 1,000 attempts in a row
   */
  default List<Grant> endChildren(Collection<String> parentIds, Instant now, int limit) {
    Objects.requireNonNull(parentIds, "parentIds must not be null");
    Objects.requireNonNull(now, "now must not be null");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0, was " + limit);
    }
    List<Grant> ended = new ArrayList<>();
    for (String parentId : parentIds) {
      for (Grant child : findByParent(parentId)) {
        if (ended.size() == limit) {
          return ended;
        }
        Grant after = endChild(child, now);
        if (after != null) {
          ended.add(after);
        }
      }
    }
    return ended;
  }

  /**
   * Ends {@code child}, read again after each lost race, as {@link #endChildren} does; the
   * snapshot stored, or null if the child is unknown or no longer ACTIVE.
   */
  private @Nullable Grant endChild(Grant child, Instant now) {
    Grant current = child;
    for (int attempt = 0; attempt < 1000; attempt++) {
      if (current == null || !current.isActive()) {
        return null;
      }
      Grant next = current.isExpiredAt(now)
          ? current.end(GrantState.EXPIRED, RevocationReason.EXPIRED, now)
          : current.end(GrantState.REVOKED, RevocationReason.PARENT_REVOKED, now);
      if (compareAndSet(current, next)) {
        return next;
      }
      current = get(current.id());
    }
    throw new IllegalStateException("the store refused 1000 compare-and-set attempts in a row "
        + "while ending a child of an ended grant");
  }
}
