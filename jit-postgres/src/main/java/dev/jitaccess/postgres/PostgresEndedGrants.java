package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.teardown.spi.EndedGrants;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The grants a {@link PostgresGrantStore} holds that ended recently, as {@link EndedGrants}: what
 * the teardown's reconciliation sweep ({@code Teardown.reconcile}, {@code
 * Teardown.Builder.reconcile}) reads on PostgreSQL to find grants whose end no replica's teardown
 * heard (the replica died between the end and the ledger insert). Needs {@code jit-teardown} on
 * the class or module path (an optional dependency of this module), and the schema at version 5
 * ({@link PostgresSchema}), whose partial index {@code grants_ended} holds the grants that left
 * ACTIVE by {@code (ended_at, id)}.
 *
 * <p>Each page is one statement with bound parameters, a keyset range scan on that index from
 * {@code (max(since, after's endedAt), after's id)}: as cheap at the end of a long window as at
 * its start, and it never reads ACTIVE grants. A page holds at most {@link #MAX_PAGE} grants,
 * whatever limit is asked (the sweep then asks for the next). It reads the database, never a
 * {@link Consistency#CACHED} store's copy, so it sees every end whose statement committed before
 * the page's; and, as the store's reads do, only the grants within the store's retention.
 *
 * <p>Thread-safe. A failure of the database throws {@link GrantStoreException}, whose message
 * never holds a grant id; the sweep then ends and the next one reads the window again.
 */
public final class PostgresEndedGrants implements EndedGrants {
  /** The most grants one page returns. */
  public static final int MAX_PAGE = 1_000;

  private final GrantReads reads;

  private PostgresEndedGrants(GrantReads reads) {
    this.reads = reads;
  }

  /** The ended grants of {@code store}, read from its database, schema and retention. */
  public static PostgresEndedGrants of(PostgresGrantStore store) {
    Objects.requireNonNull(store, "store must not be null");
    return new PostgresEndedGrants(store.reads());
  }

  /**
   * {@inheritDoc} At most {@link #MAX_PAGE} grants.
   *
   * @throws IllegalArgumentException if {@code limit} is not {@code > 0}, or {@code after} is
   *     ACTIVE (it has no end to page from)
   * @throws GrantStoreException if the database fails, or holds an invalid grant
   */
  @Override
  public List<Grant> endedSince(Instant since, @Nullable Grant after, int limit) {
    Objects.requireNonNull(since, "since must not be null");
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0, was " + limit);
    }
    Instant afterEndedAt = null;
    String afterId = "";
    if (after != null) {
      afterEndedAt = after.endedAt();
      if (afterEndedAt == null) {
        throw new IllegalArgumentException("after must have ended (endedAt set), was ACTIVE");
      }
      afterId = after.id();
      if (afterEndedAt.isBefore(since)) {
        // Every grant of the window is after it in (endedAt, id) order.
        afterEndedAt = null;
        afterId = "";
      }
    }
    return reads.endedSince(since, afterEndedAt, afterId, Math.min(limit, MAX_PAGE));
  }
}
