package dev.jitaccess.benchmarks;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.postgres.Consistency;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Mint and revoke throughput on one replica whose store is a {@code PostgresGrantStore}
 * ({@link Consistency#CACHED}, the default), on the embedded PostgreSQL of {@link
 * EmbeddedDatabase}, against the floor of a write: one bare single-row {@code INSERT} with pgjdbc
 * on the same pool, in auto-commit.
 *
 * <p>Run with {@code -t 1} and {@code -t 2}: each thread makes its calls one after another, so the
 * throughput is bounded by the round trips and by the database's work per commit. A mint is one
 * statement (the grant row, its change row and the {@code NOTIFY}); a revoke reads the grant (from
 * the store's copy) and makes one compare-and-set statement. The database, its follower's
 * connection and the JMH threads share the machine's cores.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class PostgresLifecycleBenchmark {
  private EmbeddedDatabase database;
  private JitAccess jit;

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

  @Setup(Level.Trial)
  public void setUp() {
    database = EmbeddedDatabase.start();
    database.execute("CREATE TABLE scratch (id bigint PRIMARY KEY, payload text NOT NULL)");
    jit = database.replica(Consistency.CACHED);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    jit.close();
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
