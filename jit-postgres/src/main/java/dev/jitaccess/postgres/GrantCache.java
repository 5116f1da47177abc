package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The local copy of grants a {@link Consistency#CACHED} store reads from: grant id to the newest
 * snapshot seen. Filled on a miss from the database and kept current by the store's own writes and
 * by its followers, which apply every change, whoever made it; a grant the log shows gone is
 * dropped. A snapshot never replaces a newer version, so a slow fill cannot undo a revocation
 * the follower applied meanwhile. Grants with a use budget are never kept: their uses are counted
 * in the database.
 */
final class GrantCache {
  private final ConcurrentHashMap<String, Grant> grants = new ConcurrentHashMap<>();

  @Nullable Grant get(String id) {
    return grants.get(id);
  }

  /** Keeps {@code grant} unless a newer version of it is kept. */
  void put(Grant grant) {
    if (grant.hasUseBudget()) {
      grants.remove(grant.id());
      return;
    }
    grants.merge(grant.id(), grant,
        (kept, offered) -> offered.version() >= kept.version() ? offered : kept);
  }

  /** Drops the grant {@code id}, which is gone or must be read again. */
  void remove(String id) {
    grants.remove(id);
  }

  /** Drops {@code grant} if it is still the snapshot kept. */
  void remove(Grant grant) {
    grants.remove(grant.id(), grant);
  }

  void clear() {
    grants.clear();
  }
}
