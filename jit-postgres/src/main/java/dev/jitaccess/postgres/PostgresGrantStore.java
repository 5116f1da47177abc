package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.internal.Validation;
import dev.jitaccess.spi.GrantChangeListener;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.SharedGrantStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link GrantStore} on PostgreSQL: one set of grants that every replica of an application
 * shares. It runs on the {@link DataSource} the application provides (its pool, its
 * credentials), in the tables of {@link PostgresSchema}, which must exist: call {@link
 * PostgresSchema#apply} at start, or migrate with your own tool.
 *
 * <p>Each operation is one statement. {@link #insert} and {@link #compareAndSet} also append a row
 * to the change log and notify its channel in that statement, so in the same transaction: a grant
 * never changes without its change row (see {@link GrantChangeLog}). {@code compareAndSet} is one
 * {@code UPDATE ... WHERE id = ? AND version = ?}, decided by the database. Every id, name and
 * reference is a bound parameter.
 *
 * <p>Retention: a grant is kept for {@link Builder#retention the retention} after it ended, or,
 * if it stays ACTIVE (its runtime gone), after its {@code notAfter}. Past that, on the configured
 * clock, reads no longer return it, and {@link #purgeBackground} deletes it: call that from a
 * scheduler, on every replica.
 *
 * <p>Thread-safe. A failure of the database throws {@link GrantStoreException}, whose message
 * never holds a grant id.
 */
public final class PostgresGrantStore implements SharedGrantStore {
  /** How long ended grants are kept by default, as the in-memory store does. */
  public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(5);

  /** The default bound on a {@link Consistency#CACHED} store's lag. */
  public static final Duration DEFAULT_MAX_LAG = Duration.ofMillis(250);

  /** How many grants {@link #purgeEnded()} deletes per statement. */
  static final int PURGE_BATCH = Purger.BATCH;

  private final DataSource dataSource;
  private final String origin = UUID.randomUUID().toString();
  private final Consistency consistency;
  private final Duration maxLag;
  private final GrantCache cache = new GrantCache();
  private final FollowedView view;
  private final GrantReads reads;
  /** {@link GrantReads#get}, once: what a CACHED read falls back on. */
  private final Function<String, @Nullable Grant> reader;
  private final CascadeBatch cascade;
  private final GrantSql sql;
  private final Purger purger;
  private final GrantWrites writes;
  private final GrantChangeLog changeLog;

  private PostgresGrantStore(Builder builder) {
    this.dataSource = Objects.requireNonNull(builder.dataSource, "dataSource must not be null");
    Jdbc jdbc = new Jdbc(dataSource);
    this.sql = new GrantSql(builder.schema);
    Clock clock = builder.clock == null ? Clock.systemUTC() : builder.clock;
    this.purger = new Purger(jdbc, sql, clock, builder.retention);
    this.writes = new GrantWrites(jdbc, sql, origin);
    this.changeLog = new GrantChangeLog(jdbc, sql, purger::cutoff);
    this.consistency = builder.consistency;
    this.maxLag = builder.maxLag;
    this.view = new FollowedView(cache, maxLag, purger);
    this.reads = new GrantReads(new GrantQueries(jdbc, purger::cutoff), sql);
    this.reader = reads::get;
    this.cascade = new CascadeBatch(jdbc, sql, origin, clock, purger::cutoff);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The schema this store's tables are in. */
  public String schema() {
    return sql.schema;
  }

  /**
   * The random id of this store instance, recorded on every change it makes: its followers
   * deliver only the changes of other origins.
   */
  public String origin() {
    return origin;
  }

  /** How {@link #get} reads. */
  public Consistency consistency() {
    return consistency;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Starts a follower on a connection of its own ({@code LISTEN} on {@link
   * GrantChangeLog#channel()}, {@code application_name} {@code jit-follower <origin>}), from the
   * log's current position. On a notification, or every quarter of {@link Builder#maxLag maxLag},
   * it reads the final changes, applies each to this store's cache and, if another instance made
   * it, queues it for {@code listener}, which a daemon thread of its own calls in order. A failed
   * connection is replaced, with backoff, and the follower catches up from its position; until
   * then a {@link Consistency#CACHED} store's reads throw {@link
   * dev.jitaccess.spi.StaleViewException}. Closing the handle stops both threads.
   */
  @Override
  public AutoCloseable follow(GrantChangeListener listener) {
    Objects.requireNonNull(listener, "listener must not be null");
    Duration poll = maxLag.dividedBy(4);
    return view.follow(new ChangeFollower(dataSource, changeLog, origin, cache, listener,
        poll.isZero() ? Duration.ofMillis(1) : poll), consistency == Consistency.CACHED);
  }

  /** This store's reads of the database: what {@link PostgresEndedGrants} pages through. */
  GrantReads reads() {
    return reads;
  }

  /** The change log of this store's schema: what followers read. */
  public GrantChangeLog changeLog() {
    return changeLog;
  }

  /**
   * {@inheritDoc}
   *
   * @throws GrantStoreException if the database fails
   */
  @Override
  public void insert(Grant grant) {
    Objects.requireNonNull(grant, "grant must not be null");
    if (!writes.insert(grant)) {
      throw new IllegalStateException(
          "grant.id must be unique, " + Validation.redactId(grant.id()) + " exists");
    }
    cache.put(grant);
  }

  /**
   * {@inheritDoc} An id that is not well formed (1 to 1,024 URL-safe base64 characters) names
   * no grant, so it is answered without a query. {@link Consistency#STRICT} reads the database;
   * {@link Consistency#CACHED}, while the store is followed, reads its local copy (a grant with a
   * use budget, or not yet copied, from the database).
   *
   * @throws GrantStoreException if the database fails
   * @throws dev.jitaccess.spi.StaleViewException if the store is {@link Consistency#CACHED},
   *     followed, and cannot prove its copy fresh within {@link Builder#maxLag maxLag}
   */
  @Override
  public @Nullable Grant get(String id) {
    Objects.requireNonNull(id, "id must not be null");
    if (consistency == Consistency.CACHED) {
      return view.get(id, reader); // no key of the copy is malformed: a hit needs no scan
    }
    return reads.getIfWellFormed(id);
  }

  /**
   * {@inheritDoc} Always the database, in both modes: a transition never waits for, or is refused
   * by, a copy that cannot be proved fresh.
   *
   * @throws GrantStoreException if the database fails
   */
  @Override
  public @Nullable Grant getLatest(String id) {
    return reads.getIfWellFormed(Objects.requireNonNull(id, "id must not be null"));
  }

  /**
   * {@inheritDoc}
   *
   * @throws GrantStoreException if the database fails
   */
  @Override
  public boolean compareAndSet(Grant expected, Grant replacement) {
    Objects.requireNonNull(expected, "expected must not be null");
    Objects.requireNonNull(replacement, "replacement must not be null");
    GrantStore.checkTransition(expected, replacement);
    boolean set = writes.compareAndSet(expected, replacement, purger.cutoff());
    if (set) {
      cache.put(replacement);
    } else {
      cache.remove(expected.id()); // the copy is behind: read it again
    }
    return set;
  }

  /**
   * {@inheritDoc} Keyset pages on the partial index of ACTIVE grants by {@code (expiresAt, id)}:
   * each page is one indexed range scan, however deep the listing.
   *
   * @throws GrantStoreException if the database fails
   */
  @Override
  public List<Grant> findActiveByExpiry(@Nullable Grant after, int limit) {
    return reads.activeByExpiry(after, limit);
  }

  /**
   * {@inheritDoc} A malformed reference finds nothing, without a query.
   *
   * @throws GrantStoreException if the database fails
   */
  @Override
  public @Nullable Grant findByReference(String reference) {
    return reads.byReference(Objects.requireNonNull(reference, "reference must not be null"));
  }

  /** {@inheritDoc} A failure of the database throws {@link GrantStoreException}. */
  @Override
  public Collection<Grant> findBySubject(String subject) {
    return reads.bySubject(Objects.requireNonNull(subject, "subject must not be null"));
  }

  /** {@inheritDoc} A failure of the database throws {@link GrantStoreException}. */
  @Override
  public Collection<Grant> findByOwner(String owner) {
    return reads.byOwner(Objects.requireNonNull(owner, "owner must not be null"));
  }

  /** {@inheritDoc} A failure of the database throws {@link GrantStoreException}. */
  @Override
  public Collection<Grant> findByTask(String task) {
    return reads.byTask(Objects.requireNonNull(task, "task must not be null"));
  }

  /** {@inheritDoc} A failure of the database throws {@link GrantStoreException}. */
  @Override
  public Collection<Grant> findByParent(String parentId) {
    return reads.byParent(Objects.requireNonNull(parentId, "parentId must not be null"));
  }

  /**
   * {@inheritDoc} One query ({@code parent_id = ANY(?)}) on the index of parents.
   *
   * @throws GrantStoreException if the database fails
   */
  @Override
  public Collection<Grant> findByParents(Collection<String> parentIds) {
    return reads.byParents(Objects.requireNonNull(parentIds, "parentIds must not be null"));
  }

  /**
   * {@inheritDoc} One statement per batch: it picks up to {@code limit} ACTIVE children through
   * the index of parents, locks them (waiting for a child another transaction holds, never
   * skipping it), ends them, appends a change row for each with this store's origin and notifies
   * the newest revision once, all in one transaction; if another transaction ended every child it
   * picked, it picks again. So every replica's {@link Consistency#STRICT} reads see the batch ended
   * from the moment this returns, and its followers deliver each child once.
   *
   * @throws GrantStoreException if the database fails (then no child of the batch was ended)
   */
  @Override
  public List<Grant> endChildren(Collection<String> parentIds, Instant now, int limit) {
    return cascade.endChildren(Objects.requireNonNull(parentIds, "parentIds must not be null"),
        Objects.requireNonNull(now, "now must not be null"), limit, cache::put);
  }

  /**
   * Deletes every grant past its retention, {@value #PURGE_BATCH} per transaction, until none is
   * left. One replica at a time: each batch first takes a transaction-level advisory lock
   * ({@code pg_try_advisory_xact_lock}) on the schema's grant purge, and a replica that finds it
   * taken stops, since another is purging. Call it now and then, from a scheduler, on every
   * replica or on one; see also {@link #purgeBackground}.
   *
   * @return how many grants it deleted
   * @throws GrantStoreException if the database fails (the batches before stay deleted)
   */
  public long purgeEnded() {
    return purger.purgeEnded();
  }

  /**
   * Ends every ACTIVE grant whose parent has ended or is gone: what is left of a cascade that a
   * runtime stopped partway (killed, say) while no other runtime followed the store to finish it,
   * or of a delegation that committed after its parent's cascade had passed. As a cascade ends
   * them (EXPIRED if their time is up on the store's clock, else REVOKED with PARENT_REVOKED),
   * level by level, {@value CascadeBatch#ORPHAN_BATCH} per transaction, one replica at a time
   * (each transaction takes an advisory lock first; a replica that finds it taken stops). The
   * changes carry the origin {@code <origin>/sweep}, so every follower delivers them, this
   * store's too: no runtime made these ends, and each runtime's listeners hear of each once.
   * Called by {@link #purgeBackground}.
   *
   * @return how many grants it ended
   * @throws GrantStoreException if the database fails (the batches before stay ended)
   */
  public long finishCascades() {
    return cascade.finishCascades(cache::put);
  }

  /**
   * The background work of the store, for a scheduler to call on every replica (every minute,
   * say): {@link #finishCascades()}, {@link #purgeEnded()}, then {@link
   * GrantChangeLog#purgeOlderThan} the change log's retention. Each takes an advisory lock, so of
   * replicas that call it together one does the work and the others skip it.
   *
   * @param changeLogRetention how long changes are kept in the log: longer than any follower
   *     stays disconnected, since one that falls further behind misses the changes deleted
   * @return how many grants it ended or deleted, and changes it deleted
   * @throws GrantStoreException if the database fails
   */
  public long purgeBackground(Duration changeLogRetention) {
    return finishCascades() + purgeEnded() + changeLog.purgeOlderThan(changeLogRetention);
  }

  /** Builds a {@link PostgresGrantStore}. Not thread-safe. */
  public static final class Builder {
    private @Nullable DataSource dataSource;
    private String schema = PostgresSchema.DEFAULT_NAME;
    private @Nullable Clock clock;
    private Duration retention = DEFAULT_RETENTION;
    private Consistency consistency = Consistency.CACHED;
    private Duration maxLag = DEFAULT_MAX_LAG;

    private Builder() {}

    /** How {@link PostgresGrantStore#get} reads; default {@link Consistency#CACHED}. */
    public Builder consistency(Consistency consistency) {
      this.consistency = Objects.requireNonNull(consistency, "consistency must not be null");
      return this;
    }

    /**
     * The most a {@link Consistency#CACHED} store's view may lag behind the database before its
     * reads throw {@link dev.jitaccess.spi.StaleViewException}; default {@link
     * #DEFAULT_MAX_LAG}. Its follower polls every quarter of it.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxLag(Duration maxLag) {
      Objects.requireNonNull(maxLag, "maxLag must not be null");
      if (maxLag.isNegative() || maxLag.isZero()) {
        throw new IllegalArgumentException("maxLag must be > 0, was " + maxLag);
      }
      this.maxLag = maxLag;
      return this;
    }

    /** The application's data source (its pool and credentials). Required. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
      return this;
    }

    /**
     * The schema the tables are in; default {@value PostgresSchema#DEFAULT_NAME}.
     *
     * @throws IllegalArgumentException if it is not a plain SQL identifier ({@link
     *     PostgresSchema#checkName})
     */
    public Builder schema(String schema) {
      this.schema = PostgresSchema.checkName(schema, "schema");
      return this;
    }

    /**
     * The clock the retention is measured on, and {@link PostgresGrantStore#finishCascades} ends
     * grants at; default the system UTC clock.
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * How long a grant is kept after it ends (or, still ACTIVE, after its notAfter); default
     * {@link #DEFAULT_RETENTION}.
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

    /**
     * The store. It does not touch the database until it is used.
     *
     * @throws NullPointerException if no data source was given
     */
    public PostgresGrantStore build() {
      return new PostgresGrantStore(this);
    }
  }
}
