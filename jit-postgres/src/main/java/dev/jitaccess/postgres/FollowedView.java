package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.spi.StaleViewException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Consistency#CACHED} store's reads: from the {@link GrantCache} while a follower proves
 * it fresh within the bound, else a {@link StaleViewException}. With no follower running, the
 * cache cannot be kept current, so every read goes to the database.
 */
final class FollowedView {
  private final GrantCache cache;
  private final long maxLagNanos;
  private final Supplier<Instant> cutoff;
  private final CopyOnWriteArraySet<ChangeFollower> followers = new CopyOnWriteArraySet<>();

  FollowedView(GrantCache cache, Duration maxLag, Supplier<Instant> cutoff) {
    this.cache = cache;
    this.maxLagNanos = maxLag.toNanos();
    this.cutoff = cutoff;
  }

  void add(ChangeFollower follower) {
    followers.add(follower);
  }

  void remove(ChangeFollower follower) {
    followers.remove(follower);
    if (followers.isEmpty()) {
      cache.clear(); // nobody keeps it current any more
    }
  }

  /**
   * The grant {@code id}: from the cache when the view is fresh, else from {@code database}, the
   * answer then kept.
   *
   * @throws StaleViewException if a follower runs but none can prove the view fresh
   */
  @Nullable Grant get(String id, Function<String, @Nullable Grant> database) {
    if (followers.isEmpty()) {
      return database.apply(id);
    }
    checkFresh();
    Grant cached = cache.get(id);
    if (cached != null && !cached.hasUseBudget()) {
      if (isRetained(cached)) {
        return cached;
      }
      cache.remove(cached); // past its retention: gone, as the database would say
      return null;
    }
    Grant read = database.apply(id);
    if (read != null) {
      cache.put(read);
    }
    return read;
  }

  /** The lag of the freshest connected follower, if within the bound. */
  private void checkFresh() {
    long best = Long.MAX_VALUE;
    boolean anyConnected = false;
    for (ChangeFollower follower : followers) {
      if (follower.isConnected()) {
        anyConnected = true;
        best = Math.min(best, follower.lagNanos());
      }
    }
    if (!anyConnected) {
      throw new StaleViewException("the PostgreSQL grant store's follower is disconnected from "
          + "the database, so its view cannot be proved within the bound of " + millis(maxLagNanos)
          + " (maxLag)");
    }
    if (best == Long.MAX_VALUE) {
      throw new StaleViewException("the PostgreSQL grant store's follower has not read the change "
          + "log yet; the bound is " + millis(maxLagNanos) + " (maxLag)");
    }
    if (best > maxLagNanos) {
      throw new StaleViewException("the PostgreSQL grant store's view lags by " + millis(best)
          + ", over the bound of " + millis(maxLagNanos) + " (maxLag)");
    }
  }

  private boolean isRetained(Grant grant) {
    Instant endedAt = grant.endedAt();
    Instant retainedFrom = endedAt != null ? endedAt : grant.notAfter();
    return retainedFrom.isAfter(cutoff.get());
  }

  private static String millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
  }
}
