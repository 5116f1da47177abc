package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.StaleViewException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link Consistency#CACHED} store's reads: from the {@link GrantCache} while a follower proves
 * it fresh within the bound, else a {@link StaleViewException}. With no follower running, the
 * cache cannot be kept current, so every read goes to the database.
 *
 * <p>A read served from the cache takes one {@link System#nanoTime()} (the freshness, against
 * the time each follower last proved it), one map lookup and, for the retention, one reading of
 * the store's clock; it allocates nothing on the system clock.
 */
final class FollowedView {
  private static final ChangeFollower[] NONE = {};

  private final GrantCache cache;
  private final long maxLagNanos;
  private final Purger retention;
  /** The running followers; replaced whole under {@code this}, read without a lock. */
  private volatile ChangeFollower[] followers = NONE;

  FollowedView(GrantCache cache, Duration maxLag, Purger retention) {
    this.cache = cache;
    this.maxLagNanos = maxLag.toNanos();
    this.retention = retention;
  }

  /**
   * Starts {@code follower}; while it runs, it proves this view fresh if {@code proves} (a {@link
   * Consistency#CACHED} store's). Closing the handle stops it.
   */
  AutoCloseable follow(ChangeFollower follower, boolean proves) {
    if (proves) {
      add(follower);
    }
    follower.start();
    return () -> {
      remove(follower);
      follower.close();
    };
  }

  private synchronized void add(ChangeFollower follower) {
    ChangeFollower[] now = followers;
    ChangeFollower[] more = Arrays.copyOf(now, now.length + 1);
    more[now.length] = follower;
    followers = more;
  }

  private synchronized void remove(ChangeFollower follower) {
    ChangeFollower[] now = followers;
    ChangeFollower[] fewer = new ChangeFollower[now.length];
    int kept = 0;
    for (ChangeFollower f : now) {
      if (f != follower) {
        fewer[kept++] = f;
      }
    }
    followers = kept == 0 ? NONE : Arrays.copyOf(fewer, kept);
    if (kept == 0) {
      cache.clear(); // nobody keeps it current any more
    }
  }

  /**
   * The grant {@code id}: from the cache when the view is fresh, else from {@code database}, the
   * answer then kept. An id that is not well formed is never a key of the cache; on a miss it is
   * answered null without asking the database.
   *
   * @throws StaleViewException if a follower runs but none can prove the view fresh
   */
  @Nullable Grant get(String id, Function<String, @Nullable Grant> database) {
    ChangeFollower[] running = followers;
    if (running.length == 0) {
      return Validation.isWellFormedId(id) ? database.apply(id) : null;
    }
    if (!isFresh(running)) {
      if (!Validation.isWellFormedId(id)) {
        return null; // names no grant, whatever the view
      }
      throw stale(running);
    }
    Grant cached = cache.get(id);
    if (cached != null && !cached.hasUseBudget()) {
      if (retention.isRetained(cached)) {
        return cached;
      }
      cache.remove(cached); // past its retention: gone, as the database would say
      return null;
    }
    if (!Validation.isWellFormedId(id)) {
      return null;
    }
    Grant read = database.apply(id);
    if (read != null) {
      cache.put(read);
    }
    return read;
  }

  /** Whether a connected follower proved the view fresh within the bound. */
  private boolean isFresh(ChangeFollower[] running) {
    long now = System.nanoTime();
    for (ChangeFollower follower : running) {
      if (follower.lagNanos(now) <= maxLagNanos) {
        return true;
      }
    }
    return false;
  }

  /** Why no follower proves the view fresh: the lag of the freshest connected one, if any. */
  private StaleViewException stale(ChangeFollower[] running) {
    long now = System.nanoTime();
    long best = Long.MAX_VALUE;
    boolean anyConnected = false;
    for (ChangeFollower follower : running) {
      if (follower.isConnected()) {
        anyConnected = true;
        best = Math.min(best, follower.lagNanos(now));
      }
    }
    if (!anyConnected) {
      return new StaleViewException("the PostgreSQL grant store's follower is disconnected from "
          + "the database, so its view cannot be proved within the bound of " + millis(maxLagNanos)
          + " (maxLag)");
    }
    if (best == Long.MAX_VALUE) {
      return new StaleViewException("the PostgreSQL grant store's follower has not read the "
          + "change log yet; the bound is " + millis(maxLagNanos) + " (maxLag)");
    }
    return new StaleViewException("the PostgreSQL grant store's view lags by " + millis(best)
        + ", over the bound of " + millis(maxLagNanos) + " (maxLag)");
  }

  private static String millis(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
  }
}
