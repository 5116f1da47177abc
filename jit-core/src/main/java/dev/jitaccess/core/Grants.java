package dev.jitaccess.core;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.GrantStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's access to the store, and its one primitive for changing a grant: read, compute
 * the next snapshot, compare and set by version, and try again on a lost race, a bounded number of
 * times. Every operation that changes a stored grant goes through {@link #apply}.
 */
final class Grants {
  private static final Logger LOG = LoggerFactory.getLogger(JitAccess.class);
  /** How many lost races a transition tolerates before it gives up. */
  static final int MAX_ATTEMPTS = 1000;

  /** Computes the next snapshot of a grant. */
  @FunctionalInterface
  interface Step {
    /**
     * The snapshot to store instead of {@code current}, or null to leave it unchanged. May throw
     * to refuse; the exception propagates out of {@link #apply}.
     */
    @Nullable Grant next(Grant current);
  }

  /**
   * What a transition did: the snapshot it read last, and the one it stored (null if the step
   * wanted no change or the grant is unknown).
   */
  static final class Outcome {
    private static final Outcome UNKNOWN = new Outcome(null, null);
    final @Nullable Grant before;
    final @Nullable Grant after;

    private Outcome(@Nullable Grant before, @Nullable Grant after) {
      this.before = before;
      this.after = after;
    }
  }

  private final GrantStore store;

  Grants(GrantStore store) {
    this.store = store;
  }

  GrantStore store() {
    return store;
  }

  /**
   * The store's grant under {@code id}, or null. A grant with another id, which a store that
   * matches ids loosely may return, counts as none: an unknown id.
   */
  @Nullable Grant get(String id) {
    return sameId(id, store.get(id));
  }

  /** As {@link #get}, from the store's source of truth: what a transition starts from. */
  @Nullable Grant latest(String id) {
    return sameId(id, store.getLatest(id));
  }

  private @Nullable Grant sameId(String id, @Nullable Grant grant) {
    if (grant != null && grant.id() != id && !id.equals(grant.id())) {
      LOG.warn("GrantStore {} answered a lookup with a grant of another id; treating the id as "
          + "unknown", store.getClass().getName());
      return null;
    }
    return grant;
  }

  /** As {@link #get}, but null also when the store fails: for what only adds detail. */
  @Nullable Grant getQuietly(String id) {
    try {
      return get(id);
    } catch (Throwable e) { // an Error too: the caller's outcome does not depend on it
      return null;
    }
  }

  /** Applies {@code step} to the grant {@code id} as stored now. */
  Outcome apply(String id, Step step) {
    return applyFrom(id, latest(id), step);
  }

  /**
   * Applies {@code step} starting from {@code first}, a snapshot already read (null: unknown);
   * on a lost race reads again and recomputes.
   *
   * @throws ContentionException if {@value #MAX_ATTEMPTS} attempts in a row lost their race
   */
  Outcome applyFrom(String id, @Nullable Grant first, Step step) {
    Grant current = first;
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (current == null) {
        return Outcome.UNKNOWN;
      }
      Grant next = step.next(current);
      if (next == null) {
        return new Outcome(current, null);
      }
      if (store.compareAndSet(current, next)) {
        return new Outcome(current, next);
      }
      current = latest(id);
    }
    throw new ContentionException();
  }

  /** A single compare-and-set; for loops that must decide anew on every read (the check). */
  boolean compareAndSet(Grant current, Grant next) {
    return store.compareAndSet(current, next);
  }

  /** The store kept refusing a transition: a failing store, or a race no one wins. */
  static final class ContentionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    ContentionException() {
      super("the store refused " + MAX_ATTEMPTS + " compare-and-set attempts in a row");
    }
  }
}
