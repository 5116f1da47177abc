package dev.jitaccess.postgres;

import dev.jitaccess.internal.Validation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The tables {@link PostgresGrantStore} keeps grants in, shipped in this jar as versioned SQL:
 * {@code dev/jitaccess/postgres/V1__grants.sql}, {@code V2__change_origin.sql}, {@code
 * V3__grant_origin.sql}, {@code V4__grant_source.sql} and {@code V5__ended_grants.sql}, with the placeholder {@code ${schema}} where the schema name goes.
 *
 * <p>Either let {@link #apply} create and upgrade them when the application starts, or run the
 * scripts with the tool that migrates the rest of the database. Flyway: copy each {@code
 * V<n>__*.sql} into your migrations (the names are Flyway's) and set the placeholder {@code
 * schema} ({@code flyway.placeholders.schema=jit_access}). Liquibase: reference each script from a
 * {@code sqlFile} change with {@code splitStatements} on and the changelog parameter {@code schema}
 * set. Or write out {@link #sql(int, String)}, the script with the name filled in. {@code apply}
 * records what it ran in {@code <schema>.schema_version}; a schema created by another tool has no
 * such table, and {@code apply} must then not be called on it.
 *
 * <p>Needs PostgreSQL 13 or later and a database in UTF8. Version 1 creates, in the schema:
 *
 * <ul>
 *   <li>{@code grants}: one row per grant, every field of {@link dev.jitaccess.Grant} (instants as
 *       epoch seconds and nanoseconds, so none is rounded), its {@code reference} (unique index),
 *       indexes for the listing of ACTIVE grants by {@code (expiresAt, id)}, for the subject,
 *       owner, task and parent queries, and for the retention sweep;
 *   <li>{@code grant_changes}: the change log, see {@link GrantChangeLog}.
 * </ul>
 *
 * <p>Version 2 adds {@code grant_changes.origin}: the store instance that made each change.
 * Version 3 adds {@code grants.tier} and {@code grants.request_id} (indexed): the risk tier and
 * access request a grant was minted for. Version 4 adds {@code grants.source}: the source a grant
 * is pinned to. Version 5 adds the index {@code grants_ended}, on {@code (ended_at, id)} of the
 * grants that left ACTIVE: the pages of {@link PostgresEndedGrants}.
 */
public final class PostgresSchema {
  /** The schema used when none is named. */
  public static final String DEFAULT_NAME = "jit_access";

  /** The latest version of the schema, the number of the last script. */
  public static final int VERSION = 5;

  /** What stands for the schema name in the scripts. */
  public static final String PLACEHOLDER = "${schema}";

  private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final String[] SCRIPTS =
      {"V1__grants.sql", "V2__change_origin.sql", "V3__grant_origin.sql",
          "V4__grant_source.sql", "V5__ended_grants.sql"};
  /** The advisory lock's first key, "JITA": the second is the hash of the schema name. */
  private static final int LOCK_CLASS = 0x4A495441;
  private static final int MIN_SERVER_VERSION = 130000;

  private PostgresSchema() {}

  /**
   * Creates the schema {@code schemaName} and its tables, or upgrades them to {@link #VERSION}:
   * runs, in one transaction, each script newer than the version recorded in {@code
   * <schemaName>.schema_version}, and records it. Idempotent. Holds a transaction-level advisory
   * lock on the schema name throughout, so that replicas starting together apply each script
   * once: the others wait, then find it applied.
   *
   * @throws IllegalArgumentException naming the rule, if {@code schemaName} is not a plain
   *     identifier ({@link #checkName})
   * @throws GrantStoreException if the database is unreachable, older than PostgreSQL 13, not in
   *     UTF8, holds a newer version of the schema than this library knows, or a script fails
   *     (then nothing of it is left)
   */
  public static void apply(DataSource dataSource, String schemaName) {
    Objects.requireNonNull(dataSource, "dataSource must not be null");
    String schema = checkName(schemaName, "schemaName");
    new Jdbc(dataSource).transaction("apply the schema", connection -> {
      lock(connection, schema);
      checkServer(connection);
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
        statement.execute("CREATE TABLE IF NOT EXISTS " + quote(schema) + ".schema_version ("
            + "version integer PRIMARY KEY, script text NOT NULL, "
            + "applied_at timestamptz NOT NULL DEFAULT clock_timestamp())");
      }
      int current = currentVersion(connection, schema);
      if (current > VERSION) {
        throw new GrantStoreException("schema " + schema + " has version " + current
            + ", newer than this library's " + VERSION + ": upgrade jit-postgres");
      }
      for (int version = current + 1; version <= VERSION; version++) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(sql(version, schema));
        }
        try (PreparedStatement record = connection.prepareStatement("INSERT INTO "
            + quote(schema) + ".schema_version (version, script) VALUES (?, ?)")) {
          record.setInt(1, version);
          record.setString(2, SCRIPTS[version - 1]);
          record.executeUpdate();
        }
      }
      return null;
    });
  }

  /**
   * The script of {@code version} with {@value #PLACEHOLDER} replaced by {@code schemaName}:
   * what to hand a migration tool that has no placeholders.
   *
   * @throws IllegalArgumentException if there is no such version, or {@code schemaName} is not a
   *     plain identifier
   */
  public static String sql(int version, String schemaName) {
    if (version < 1 || version > VERSION) {
      throw new IllegalArgumentException(
          "version must be within [1, " + VERSION + "], was " + version);
    }
    String schema = checkName(schemaName, "schemaName");
    String script = SCRIPTS[version - 1];
    try (InputStream in = PostgresSchema.class.getResourceAsStream(script)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + script + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(PLACEHOLDER, schema);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the resource " + script, e);
    }
  }

  /**
   * Checks a schema name: a plain SQL identifier, {@code [a-z_][a-z0-9_]{0,62}} (lower case, so
   * that quoted and unquoted spellings name the same schema, and at most the 63 bytes PostgreSQL
   * keeps), and not starting with {@code pg_}, which PostgreSQL reserves.
   *
   * @param field the name of the argument, for the message
   * @return {@code name}
   * @throws IllegalArgumentException naming {@code field} and the rule
   */
  public static String checkName(@Nullable String name, String field) {
    Objects.requireNonNull(name, () -> field + " must not be null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(field + " must be a plain SQL identifier "
          + "[a-z_][a-z0-9_]{0,62}, was '" + Validation.abbreviate(name) + "'");
    }
    if (name.startsWith("pg_")) {
      throw new IllegalArgumentException(
          field + " must not start with pg_, which PostgreSQL reserves, was '" + name + "'");
    }
    return name;
  }

  /** {@code name}, checked, in double quotes. */
  static String quote(String name) {
    return '"' + name + '"';
  }

  private static void lock(Connection connection, String schema) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT pg_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, LOCK_CLASS);
      lock.setString(2, schema);
      lock.execute();
    }
  }

  private static void checkServer(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT current_setting('server_version_num')"
            + "::integer, current_setting('server_encoding')")) {
      row.next();
      int version = row.getInt(1);
      String encoding = row.getString(2);
      if (version < MIN_SERVER_VERSION) {
        throw new GrantStoreException(
            "the database must be PostgreSQL 13 or later, was server_version_num " + version);
      }
      if (!"UTF8".equals(encoding)) {
        throw new GrantStoreException("the database must be in UTF8, was " + encoding);
      }
    }
  }

  private static int currentVersion(Connection connection, String schema) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(
            "SELECT coalesce(max(version), 0) FROM " + quote(schema) + ".schema_version")) {
      row.next();
      return row.getInt(1);
    }
  }
}
