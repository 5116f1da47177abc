package dev.jitaccess.benchmarks;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.postgres.Consistency;
import dev.jitaccess.postgres.PostgresGrantStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Mint and revoke throughput on one replica whose store is a {@code PostgresGrantStore}
 * ({@link Consistency#CACHED}, the default), on the embedded PostgreSQL of {@link
 * EmbeddedDatabase}, against the floors of what a mint makes the database do, each with pgjdbc on
 * the same pool, in auto-commit, one statement per call: a bare single-row {@code INSERT} into a
 * two-column table ({@link #floorInsert}); the grant row alone ({@link #floorGrantRow}); the grant
 * row and its change row ({@link #floorGrantChange}); and the store's statement, by hand, with its
 * {@code pg_notify} ({@link #floorGrantChangeNotify}). {@link #storeInsert} is the store's {@code
 * insert} with no follower anywhere; {@link #storeInsertFollowed} the same while the replica's
 * follower reads the log after the notifications.
 *
 * <p>Run with {@code -t 1} and {@code -t 2}: each thread makes its calls one after another, so the
 * throughput is bounded by the round trips and by the database's work per commit. A mint is one
 * statement (the grant row, its change row and the {@code NOTIFY}); a revoke reads the grant from
 * the database and makes one compare-and-set statement, then looks for children to end. The
 * database, the follower's connection and the JMH threads share the machine's cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class PostgresLifecycleBenchmark {
  private EmbeddedDatabase database;
  private @Nullable JitAccess jit;
  /** A store instance of its own, not followed: {@link #storeInsert}'s. */
  private PostgresGrantStore store;

  /** A thread's own range of grant indexes (each request has a task of its own) and row ids. */
  @State(Scope.Thread)
  public static class Counter {
    int next;

    @Setup(Level.Trial)
    public void start(ThreadParams thread) {
      next = thread.getThreadIndex() * 100_000_000;
    }
  }

  /** The grant {@link #revoke} ends: a fresh one per call, minted outside the measured call. */
  @State(Scope.Thread)
  public static class RevokeTarget {
    String id;
    int next;

    @Setup(Level.Trial)
    public void start(ThreadParams thread) {
      next = 50_000_000 + thread.getThreadIndex() * 100_000_000;
    }

    @Setup(Level.Invocation)
    public void mint(PostgresLifecycleBenchmark benchmark) {
      id = benchmark.jit.request(Workload.request(next++)).id();
    }
  }

  /**
   * Starts the database and, for {@link #mint}, {@link #revoke} and {@link
   * #storeInsertFollowed}, a replica, whose follower reads the log after every notification; the
   * floors and {@link #storeInsert} run with no follower at all.
   */
  @Setup(Level.Trial)
  public void setUp(BenchmarkParams params) {
    database = EmbeddedDatabase.start();
    database.execute("CREATE TABLE scratch (id bigint PRIMARY KEY, payload text NOT NULL)");
    String benchmark = params.getBenchmark();
    if (benchmark.endsWith(".mint") || benchmark.endsWith(".revoke")
        || benchmark.endsWith("Followed")) {
      jit = database.replica(Consistency.CACHED);
    }
    store = database.store(Consistency.CACHED);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    if (jit != null) {
      jit.close();
    }
    database.close();
  }

  /** Mints a one-permission grant: policy, limits, id, the insert statement, timer, audit. */
  @Benchmark
  public Grant mint(Counter counter) {
    return jit.request(Workload.request(counter.next++));
  }

  /** Revokes an ACTIVE grant with no delegations: read, compare-and-set statement, audit. */
  @Benchmark
  public boolean revoke(RevokeTarget target) {
    return jit.revoke(target.id, RevocationReason.TASK_COMPLETED);
  }

  /**
   * A grant as a mint makes it, for the floors below: its own id (a per-thread counter, in the
   * library's id format) and task, the one permission of grant {@code i}.
   */
  private static Grant grant(int i, Instant now) {
    byte[] bytes = new byte[16];
    for (int b = 0; b < 4; b++) {
      bytes[b] = (byte) (i >>> (8 * b));
    }
    bytes[4] = 1; // never the runtime's ids, which have random bytes throughout
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    return Grant.issue(id, Workload.request(i), Workload.SCOPES[i & Workload.K_MASK], now,
        now.plus(Workload.TTL), now.plus(Workload.TTL), null);
  }

  /**
   * What a mint does in the database, through the store's SPI: {@code insert} on a store instance
   * of its own, not followed (no follower polls after the notification). The grant is built in
   * the call.
   */
  @Benchmark
  public Grant storeInsert(Counter counter) {
    Grant grant = grant(counter.next++, CLOCK.instant());
    store.insert(grant);
    return grant;
  }

  /**
   * As {@link #storeInsert}, while another store instance of the same process (a replica's,
   * {@link #mint}'s) follows the log: the database's work for its polls, and the follower's,
   * share the cores with the inserts.
   */
  @Benchmark
  public Grant storeInsertFollowed(Counter counter) {
    return storeInsert(counter);
  }

  /**
   * The statement a store's insert runs, by hand, with pgjdbc on the same pool: the grant row,
   * its change row and {@code pg_notify}, one statement in auto-commit. The floor of a mint as
   * the store is built.
   */
  @Benchmark
  public boolean floorGrantChangeNotify(Counter counter) throws SQLException {
    return floorGrant(counter, GRANT_CHANGE_NOTIFY);
  }

  /** As {@link #floorGrantChangeNotify}, without the {@code pg_notify}. */
  @Benchmark
  public boolean floorGrantChange(Counter counter) throws SQLException {
    return floorGrant(counter, GRANT_CHANGE);
  }

  /** The grant row alone: a single-row {@code INSERT} into {@code grants} and its indexes. */
  @Benchmark
  public boolean floorGrantRow(Counter counter) throws SQLException {
    return floorGrant(counter, GRANT_ROW);
  }

  private static final Clock CLOCK = Clock.systemUTC();
  private static final String COLUMNS = "id, reference, subject, owner, task, purpose, scope, "
      + "issued_at_s, issued_at_n, expires_at_s, expires_at_n, not_after_s, not_after_n, "
      + "uses_consumed, version, state";
  private static final String VALUES = "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 'ACTIVE'";
  private static final String GRANT_ROW = "INSERT INTO " + EmbeddedDatabase.SCHEMA + ".grants ("
      + COLUMNS + ") VALUES (" + VALUES + ") RETURNING version";
  private static final String GRANT_CHANGE = "WITH written AS (INSERT INTO "
      + EmbeddedDatabase.SCHEMA + ".grants (" + COLUMNS + ") VALUES (" + VALUES + ") RETURNING "
      + "id, version, state) INSERT INTO " + EmbeddedDatabase.SCHEMA + ".grant_changes "
      + "(grant_id, version, state, origin) SELECT id, version, state, 'floor' FROM written "
      + "RETURNING revision";
  private static final String GRANT_CHANGE_NOTIFY = "WITH written AS (INSERT INTO "
      + EmbeddedDatabase.SCHEMA + ".grants (" + COLUMNS + ") VALUES (" + VALUES + ") RETURNING "
      + "id, version, state), change AS (INSERT INTO " + EmbeddedDatabase.SCHEMA
      + ".grant_changes (grant_id, version, state, origin) SELECT id, version, state, 'floor' "
      + "FROM written RETURNING revision) SELECT pg_notify('" + EmbeddedDatabase.SCHEMA
      + "', revision::text) FROM change";

  private boolean floorGrant(Counter counter, String sql) throws SQLException {
    Grant grant = grant(counter.next++, CLOCK.instant());
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement insert = connection.prepareStatement(sql)) {
      int i = 1;
      insert.setString(i++, grant.id());
      insert.setString(i++, grant.reference());
      insert.setString(i++, grant.subject());
      insert.setString(i++, grant.owner());
      insert.setString(i++, grant.task());
      insert.setString(i++, grant.purpose());
      insert.setString(i++, grant.scope().toString());
      for (Instant instant : new Instant[] {grant.issuedAt(), grant.expiresAt(), grant.notAfter()}) {
        insert.setLong(i++, instant.getEpochSecond());
        insert.setInt(i++, instant.getNano());
      }
      try (ResultSet row = insert.executeQuery()) {
        return row.next();
      }
    }
  }

  /**
   * The floor: a connection from the same pool, one prepared single-row {@code INSERT} of a
   * bigint and a short text into a table with a primary key, auto-commit.
   */
  @Benchmark
  public int floorInsert(Counter counter) throws SQLException {
    try (Connection connection = database.dataSource().getConnection();
        PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO scratch (id, payload) VALUES (?, ?)")) {
      insert.setLong(1, counter.next++);
      insert.setString(2, "svc-1 team-1 task read:tenants/t1/reports/**");
      return insert.executeUpdate();
    }
  }
}
