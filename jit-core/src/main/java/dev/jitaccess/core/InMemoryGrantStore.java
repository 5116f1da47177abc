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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link GrantStore}: grants in this process, indexed by task and by parent (the
 * lookups of every task end and every cascade); the rare queries by subject or owner scan.
 *
 * <p>ACTIVE grants live in an open-addressing table keyed by the id's 128 bits, so the check's
 * lookup reads one slot, its mark and the grant, takes no lock and allocates nothing. When a
 * grant leaves ACTIVE it moves, atomically, into a Caffeine cache that keeps it for the retention
 * (so that checks can say REVOKED rather than UNKNOWN_GRANT) and then releases it, driven by the
 * configured clock and scheduler. No entry outlives its grant by more than the retention, and reads never
 * extend one. An ACTIVE grant stays until it leaves ACTIVE: the runtime's expiry timer ends it at
 * its {@code expiresAt}. The task and parent indexes keep each key beside its ids in one array,
 * with no node per entry.
 *
 * <p>Thread-safe. {@link #insert} and {@link #compareAndSet} are atomic per id: of racing inserts
 * of one id exactly one succeeds, also against the move of that id from ACTIVE to ended.
 */
public final class InMemoryGrantStore implements GrantStore {
  /** How long ended grants are kept by default. */
  public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(5);

  private final LiveGrants live = new LiveGrants();
  private final Cache<String, Grant> ended;
  private final IdIndex byTask = new IdIndex();
  private final IdIndex byParent = new IdIndex();
  private final ReferenceIndex byReference = new ReferenceIndex();

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
    this.ended = caffeine
        .expireAfter(new RetentionExpiry(clock, retention))
        .<String, Grant>evictionListener((id, grant, cause) -> {
          if (grant != null) {
            unindex(grant);
            byReference.removed(grant);
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
    String id = grant.id();
    // One critical section per id with the live table, so that two inserts of one id, or an
    // insert racing the move of that id from live to ended, cannot both succeed. Indexed before
    // the grant can be seen, so a retention that evicts it at once still finds its entries.
    boolean added = live.addIf(grant, () -> {
      if (ended.getIfPresent(id) != null) {
        return false;
      }
      index(grant);
      if (!grant.isActive()) {
        ended.put(id, grant);
      }
      return true;
    });
    if (!added) {
      throw duplicate(id);
    }
    byReference.added(grant);
  }

  private static IllegalStateException duplicate(String id) {
    return new IllegalStateException(
        "grant.id must be unique, " + Validation.redactId(id) + " exists");
  }

  @Override
  public @Nullable Grant get(String id) {
    Grant grant = live.get(id);
    return grant != null ? grant : ended.getIfPresent(id);
  }

  @Override
  public boolean compareAndSet(Grant expected, Grant replacement) {
    Objects.requireNonNull(expected, "expected must not be null");
    Objects.requireNonNull(replacement, "replacement must not be null");
    GrantStore.checkTransition(expected, replacement);
    if (expected.isActive()) {
      // Visible in ended before it leaves live, so a concurrent get never misses it.
      return live.replace(expected, replacement.isActive() ? replacement : null,
          replacement.isActive() ? null : removed -> ended.put(removed.id(), replacement));
    }
    return false; // unreachable: checkTransition refuses a terminal expected
  }

  /**
   * Serves a listing from one sorted snapshot of the ACTIVE grants, taken when its first page is
   * asked for (a listing that starts after a grant this store did not just return takes a new
   * one): paging through a million grants sorts them once. Each grant is returned as it is stored
   * at the time of its page, and left out if it has ended since; a grant inserted while a listing
   * is paged through may be missing from it (the runtime that inserted it arms its own timer).
   */
  @Override
  public List<Grant> findActiveByExpiry(@Nullable Grant after, int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0, was " + limit);
    }
    Listing current = listing.get();
    Listing source = after != null && current != null && current.last == after
        ? current
        : Listing.of(live.values(), after);
    List<Grant> page = new ArrayList<>(Math.min(limit, source.entries.length - source.next));
    int i = source.next;
    for (; i < source.entries.length && page.size() < limit; i++) {
      Grant now = get(source.entries[i].grant.id());
      if (now != null && now.isActive()) {
        page.add(now);
      }
    }
    listing.set(page.isEmpty() || i == source.entries.length ? null
        : new Listing(source.entries, i, page.get(page.size() - 1)));
    return page;
  }

  private final java.util.concurrent.atomic.AtomicReference<@Nullable Listing> listing =
      new java.util.concurrent.atomic.AtomicReference<>();

  /** A sorted snapshot of ACTIVE grants, the next position in it, and the grant last returned. */
  private static final class Listing {
    final Entry[] entries;
    final int next;
    final @Nullable Grant last;

    Listing(Entry[] entries, int next, @Nullable Grant last) {
      this.entries = entries;
      this.next = next;
      this.last = last;
    }

    /** The ACTIVE grants after {@code after} in {@code (expiresAt, id)} order. */
    static Listing of(List<Grant> grants, @Nullable Grant after) {
      Entry start = after == null ? null : new Entry(after);
      List<Entry> entries = new ArrayList<>(grants.size());
      for (Grant grant : grants) {
        if (grant.isActive()) {
          Entry entry = new Entry(grant);
          if (start == null || entry.compareTo(start) > 0) {
            entries.add(entry);
          }
        }
      }
      Entry[] sorted = entries.toArray(new Entry[0]);
      java.util.Arrays.sort(sorted);
      return new Listing(sorted, 0, null);
    }
  }

  /** A grant with its sort key read once, so that sorting allocates nothing per comparison. */
  private static final class Entry implements Comparable<Entry> {
    final Instant expiresAt;
    final Grant grant;

    Entry(Grant grant) {
      this.expiresAt = grant.expiresAt();
      this.grant = grant;
    }

    @Override
    public int compareTo(Entry other) {
      int byTime = expiresAt.compareTo(other.expiresAt);
      return byTime != 0 ? byTime : grant.id().compareTo(other.grant.id());
    }
  }

  /**
   * Looks the reference up in an index built on the first such lookup (a scan of every held
   * grant) and kept from then on, at the cost of one SHA-256 per insert: a process that issues no
   * tokens never pays it.
   */
  @Override
  public @Nullable Grant findByReference(String reference) {
    Objects.requireNonNull(reference, "reference must not be null");
    return byReference.find(reference, this::get, each -> {
      live.values().forEach(each);
      ended.asMap().values().forEach(each);
    });
  }

  /** Scans every held grant: revoking a whole subject is rare, so no index is kept for it. */
  @Override
  public Collection<Grant> findBySubject(String subject) {
    Objects.requireNonNull(subject, "subject must not be null");
    return scan(grant -> grant.subject().equals(subject));
  }

  /** Scans every held grant: revoking a whole owner is rare, so no index is kept for it. */
  @Override
  public Collection<Grant> findByOwner(String owner) {
    Objects.requireNonNull(owner, "owner must not be null");
    return scan(grant -> grant.owner().equals(owner));
  }

  private List<Grant> scan(java.util.function.Predicate<Grant> filter) {
    List<Grant> found = new ArrayList<>();
    for (Grant grant : live.values()) {
      if (filter.test(grant)) {
        found.add(grant);
      }
    }
    for (Grant grant : ended.asMap().values()) {
      if (filter.test(grant)) {
        found.add(grant);
      }
    }
    return found;
  }

  @Override
  public Collection<Grant> findByTask(String task) {
    return resolve(byTask.ids(task));
  }

  @Override
  public Collection<Grant> findByParent(String parentId) {
    return resolve(byParent.ids(parentId));
  }

  private List<Grant> resolve(List<String> ids) {
    List<Grant> found = new ArrayList<>(ids.size());
    for (String id : ids) {
      Grant grant = get(id);
      if (grant != null) {
        found.add(grant);
      }
    }
    return found;
  }

  /** Every grant held now, ACTIVE and ended: for exposure reports and leak checks. */
  public List<Grant> grants() {
    List<Grant> all = live.values();
    all.addAll(ended.asMap().values());
    return all;
  }

  /** How many grants are held now (ended ones until their retention has passed). */
  public long size() {
    return live.size() + ended.estimatedSize();
  }

  /** Keys in the task and parent indexes, for tests that nothing is left behind. */
  int indexedKeys() {
    return byTask.size() + byParent.size() + byReference.size();
  }

  /** Runs pending retention and index maintenance now. */
  public void cleanUp() {
    ended.cleanUp();
  }

  private void index(Grant grant) {
    byTask.add(grant.task(), grant.id());
    if (grant.parentId() != null) {
      byParent.add(grant.parentId(), grant.id());
    }
  }

  private void unindex(Grant grant) {
    byTask.remove(grant.task(), grant.id());
    if (grant.parentId() != null) {
      byParent.remove(grant.parentId(), grant.id());
    }
  }

  /** Expires an ended grant a retention after it ended; reads never extend it. */
  private static final class RetentionExpiry implements Expiry<String, Grant> {
    private final Clock clock;
    private final Duration retention;

    RetentionExpiry(Clock clock, Duration retention) {
      this.clock = clock;
      this.retention = retention;
    }

    private long nanosToLive(Grant grant) {
      Instant end = grant.endedAt() != null ? grant.endedAt() : grant.expiresAt();
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
     * How long a grant is kept after it ends; default {@link #DEFAULT_RETENTION}.
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
