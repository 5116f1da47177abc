package dev.jitaccess.core;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import dev.jitaccess.Grant;
import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.Scheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link GrantStore}: grants in a Caffeine cache in this process, with indexes by
 * subject, owner, task and parent.
 *
 * <p>An entry never outlives its grant by more than the retention, and reads never extend it: an
 * ACTIVE grant's entry expires {@code retention} after the grant's {@code expiresAt} (moved by
 * renewals), a terminal grant's {@code retention} after it ended. Terminal grants are kept for the
 * retention so that checks can say REVOKED rather than UNKNOWN_GRANT; then they leave memory.
 * Expiry is driven by the configured clock and scheduler.
 *
 * <p>Thread-safe; {@link #compareAndSet} is atomic.
 */
public final class InMemoryGrantStore implements GrantStore {
  /** How long terminal grants are kept by default. */
  public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(5);

  private final Cache<String, Grant> grants;
  private final ConcurrentHashMap<String, Set<String>> bySubject = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> byOwner = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> byTask = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Set<String>> byParent = new ConcurrentHashMap<>();

  private InMemoryGrantStore(Builder builder) {
    Clock clock = builder.clock == null ? Clock.systemUTC() : builder.clock;
    Duration retention = builder.retention == null ? DEFAULT_RETENTION : builder.retention;
    Instant origin = clock.instant();
    Caffeine<Object, Object> caffeine = Caffeine.newBuilder()
        .executor(Runnable::run)
        .ticker(() -> Times.saturatedNanos(origin, clock.instant()));
    if (builder.scheduler != null) {
      caffeine.scheduler(new CaffeineScheduler(builder.scheduler));
    }
    this.grants = caffeine
        .expireAfter(new RetentionExpiry(clock, retention))
        .<String, Grant>evictionListener((id, grant, cause) -> {
          if (grant != null) {
            unindex(grant);
          }
        })
        .build();
  }

  /** A store on the system clock with the default retention and no scheduler. */
  public static InMemoryGrantStore create() {
    return builder().build();
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void insert(Grant grant) {
    Objects.requireNonNull(grant, "grant must not be null");
    index(grant);
    Grant previous = grants.asMap().putIfAbsent(grant.id(), grant);
    if (previous != null) {
      throw new IllegalStateException(
          "grant.id must be unique, " + Validation.redactId(grant.id()) + " exists");
    }
  }

  @Override
  public @Nullable Grant get(String id) {
    return grants.getIfPresent(id);
  }

  @Override
  public boolean compareAndSet(Grant expected, Grant replacement) {
    Objects.requireNonNull(expected, "expected must not be null");
    Objects.requireNonNull(replacement, "replacement must not be null");
    if (!expected.id().equals(replacement.id())) {
      throw new IllegalArgumentException("replacement.id must equal expected.id");
    }
    boolean[] swapped = new boolean[1];
    grants.asMap().computeIfPresent(expected.id(), (id, current) -> {
      if (current.equals(expected)) {
        swapped[0] = true;
        return replacement;
      }
      return current;
    });
    return swapped[0];
  }

  @Override
  public Collection<Grant> findBySubject(String subject) {
    return lookup(bySubject, subject);
  }

  @Override
  public Collection<Grant> findByOwner(String owner) {
    return lookup(byOwner, owner);
  }

  @Override
  public Collection<Grant> findByTask(String task) {
    return lookup(byTask, task);
  }

  @Override
  public Collection<Grant> findByParent(String parentId) {
    return lookup(byParent, parentId);
  }

  /** Every grant held now, ACTIVE and terminal: for exposure reports and leak checks. */
  public List<Grant> grants() {
    return new ArrayList<>(grants.asMap().values());
  }

  /** How many grants are held now. */
  public long size() {
    return grants.estimatedSize();
  }

  /** Runs pending expiry and index maintenance now. */
  public void cleanUp() {
    grants.cleanUp();
  }

  private List<Grant> lookup(ConcurrentHashMap<String, Set<String>> index, String key) {
    Objects.requireNonNull(key, "key must not be null");
    Set<String> ids = index.get(key);
    List<Grant> found = new ArrayList<>();
    if (ids != null) {
      for (String id : ids) {
        Grant grant = grants.getIfPresent(id);
        if (grant != null) {
          found.add(grant);
        }
      }
    }
    return found;
  }

  private void index(Grant grant) {
    add(bySubject, grant.subject(), grant.id());
    add(byOwner, grant.owner(), grant.id());
    add(byTask, grant.task(), grant.id());
    if (grant.parentId() != null) {
      add(byParent, grant.parentId(), grant.id());
    }
  }

  private void unindex(Grant grant) {
    remove(bySubject, grant.subject(), grant.id());
    remove(byOwner, grant.owner(), grant.id());
    remove(byTask, grant.task(), grant.id());
    if (grant.parentId() != null) {
      remove(byParent, grant.parentId(), grant.id());
    }
  }

  private static void add(ConcurrentHashMap<String, Set<String>> index, String key, String id) {
    index.compute(key, (k, ids) -> {
      Set<String> set = ids == null ? ConcurrentHashMap.newKeySet() : ids;
      set.add(id);
      return set;
    });
  }

  private static void remove(ConcurrentHashMap<String, Set<String>> index, String key, String id) {
    index.computeIfPresent(key, (k, ids) -> {
      ids.remove(id);
      return ids.isEmpty() ? null : ids;
    });
  }

  /** Expires an entry a retention after its grant ends; reads never extend it. */
  private static final class RetentionExpiry implements Expiry<String, Grant> {
    private final Clock clock;
    private final Duration retention;

    RetentionExpiry(Clock clock, Duration retention) {
      this.clock = clock;
      this.retention = retention;
    }

    private long nanosToLive(Grant grant) {
      Instant end = grant.isActive() ? grant.expiresAt() : Objects.requireNonNull(grant.endedAt());
      Instant evictAt;
      try {
        evictAt = end.plus(retention);
      } catch (RuntimeException e) {
        evictAt = Instant.MAX;
      }
      return Math.max(0, Times.saturatedNanos(clock.instant(), evictAt));
    }

    @Override
    public long expireAfterCreate(String id, Grant grant, long currentTime) {
      return nanosToLive(grant);
    }

    @Override
    public long expireAfterUpdate(String id, Grant grant, long currentTime, long currentDuration) {
      return nanosToLive(grant);
    }

    @Override
    public long expireAfterRead(String id, Grant grant, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }

  /** Lets Caffeine's maintenance run on the runtime's scheduler (and so on a fake clock). */
  private static final class CaffeineScheduler
      implements com.github.benmanes.caffeine.cache.Scheduler {
    private final Scheduler scheduler;

    CaffeineScheduler(Scheduler scheduler) {
      this.scheduler = scheduler;
    }

    @Override
    public Future<?> schedule(Executor executor, Runnable command, long delay, TimeUnit unit) {
      CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
      Scheduler.Cancellable handle = scheduler.schedule(() -> {
        if (!done.isDone()) {
          executor.execute(command);
          done.complete(null);
        }
      }, Duration.ofNanos(unit.toNanos(delay)));
      done.whenComplete((ignored, failure) -> {
        if (done.isCancelled()) {
          handle.cancel();
        }
      });
      return done;
    }
  }

  /** Builds an {@link InMemoryGrantStore}. Not thread-safe. */
  public static final class Builder {
    private @Nullable Clock clock;
    private @Nullable Scheduler scheduler;
    private @Nullable Duration retention;

    private Builder() {}

    /** The clock expiry is measured with; default the system UTC clock. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /** Runs expiry proactively; without one, expired entries leave on the next activity. */
    public Builder scheduler(Scheduler scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler must not be null");
      return this;
    }

    /**
     * How long a grant is kept after it ends (or expires); default {@link #DEFAULT_RETENTION}.
     *
     * @throws IllegalArgumentException if negative
     */
    public Builder retention(Duration retention) {
      Objects.requireNonNull(retention, "retention must not be null");
      if (retention.isNegative()) {
        throw new IllegalArgumentException("retention must be >= 0, was " + retention);
      }
      this.retention = retention;
      return this;
    }

    /** The store. */
    public InMemoryGrantStore build() {
      return new InMemoryGrantStore(this);
    }
  }
}
