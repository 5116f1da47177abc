package dev.jitaccess.postgres;

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
import javax.sql.DataSource;

/**
 * The tables {@link PostgresGovernanceStore}, {@link PostgresBundleStore}, {@link
 * PostgresRecertificationStore} and {@link PostgresTeardownLedger} keep governance in, shipped in
 * this jar as versioned SQL of their own, apart from the grant store's {@link PostgresSchema}:
 * {@code dev/jitaccess/postgres/G1__governance.sql}, {@code G2__bundles_and_recertification.sql},
 * {@code G3__teardown_ledger.sql} and {@code G4__teardown_grant_source.sql}, with the placeholder
 * {@value #PLACEHOLDER} where the schema name goes. They may share the grant store's schema: no
 * table name clashes.
 *
 * <p>Either let {@link #apply} create and upgrade them when the application starts, or run the
 * scripts with the tool that migrates the rest of the database. Flyway: copy each {@code
 * G<n>__*.sql} into your migrations, in order, under a {@code V<n>__} name of your sequence
 * (Flyway keeps one version sequence per history table, and the grant store's scripts hold 1 to
 * 3), and set the placeholder {@code schema}. Liquibase: reference each from a {@code sqlFile}
 * change with {@code splitStatements} on and the changelog parameter {@code schema} set. Or write
 * out {@link #sql(int, String)}, a script with the name filled in. {@code apply} records what it
 * ran in {@code <schema>.governance_schema_version}; a schema created by another tool has no such
 * table, and {@code apply} must then not be called on it.
 *
 * <p>Needs PostgreSQL 13 or later and a database in UTF8. Version 1 creates, in the schema:
 *
 * <ul>
 *   <li>{@code access_requests}: one row per request, every field of {@link
 *       dev.jitaccess.governance.AccessRequest} but its approvals and rejections (instants and the
 *       lifetime as seconds and nanoseconds, so none is rounded), and its deadline, indexed for
 *       {@code due}; an index of PENDING requests by creation for {@code pending};
 *   <li>{@code access_request_approvals} and {@code access_request_rejections}: one row per
 *       approval or rejection, keyed by request and ordinal;
 *   <li>{@code break_glass_locks}: one row per locked subject.
 * </ul>
 *
 * <p>Version 2 adds:
 *
 * <ul>
 *   <li>{@code bundles}: one row per {@link dev.jitaccess.governance.Bundle}, keyed by name;
 *   <li>{@code bundle_members}: one row per member, keyed by bundle and member;
 *   <li>{@code bundle_grants}: one row per grant minted from a bundle, keyed by bundle, member and
 *       grant id (the index of a bundle's grants and of a member's);
 *   <li>{@code recertification_decisions}: the latest decision per item;
 *   <li>{@code recertification_lapses} and {@code recertification_notices}: one row per item and
 *       due time marked, keyed by both;
 *   <li>{@code recertification_suspensions}: one row per suspended item.
 * </ul>
 *
 * <p>Version 3 adds {@code teardown_entries}, the ledger of {@link PostgresTeardownLedger}: one
 * row per ended grant and downstream, holding the grant's snapshot (every field, as {@code
 * grants} holds it) and the entry, keyed by grant id and downstream, with partial indexes for
 * claiming (downstream, the time an entry becomes claimable), for lingering entries (by the end
 * of the grant) and for the retention of settled ones (by their last change).
 */
public final class PostgresGovernanceSchema {
  /** The latest version of the governance schema, the number of the last script. */
  public static final int VERSION = 4;

  /** What stands for the schema name in the scripts. */
  public static final String PLACEHOLDER = PostgresSchema.PLACEHOLDER;

  private static final String[] SCRIPTS =
      {"G1__governance.sql", "G2__bundles_and_recertification.sql",
      "G3__teardown_ledger.sql", "G4__teardown_grant_source.sql"};
  /**
   * The advisory lock's first key: the grant store's, "JITA", so that applying the grant schema
   * and the governance schema to one schema name at once runs one after the other (two
   * transactions creating one schema at once would collide). The second is the name's hash.
   */
  private static final int LOCK_CLASS = 0x4A495441;
  private static final int MIN_SERVER_VERSION = 130000;

  private PostgresGovernanceSchema() {}

  /**
   * Creates the schema {@code schemaName} (if it does not exist) and the governance tables in it,
   * or upgrades them to {@link #VERSION}: runs, in one transaction, each script newer than the
   * version recorded in {@code <schemaName>.governance_schema_version}, and records it.
   * Idempotent. Holds a transaction-level advisory lock on the schema name throughout, so that
   * replicas starting together apply each script once: the others wait, then find it applied.
   *
   * @throws IllegalArgumentException naming the rule, if {@code schemaName} is not a plain
   *     identifier ({@link PostgresSchema#checkName})
   * @throws GovernanceStoreException if the database is unreachable, older than PostgreSQL 13,
   *     not in UTF8, holds a newer version of the governance schema than this library knows, or a
   *     script fails (then nothing of it is left)
   */
  public static void apply(DataSource dataSource, String schemaName) {
    Objects.requireNonNull(dataSource, "dataSource must not be null");
    String schema = PostgresSchema.checkName(schemaName, "schemaName");
    String versions = PostgresSchema.quote(schema) + ".governance_schema_version";
    new GovernanceJdbc(dataSource).transaction("apply the governance schema", connection -> {
      lock(connection, schema);
      checkServer(connection);
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + PostgresSchema.quote(schema));
        statement.execute("CREATE TABLE IF NOT EXISTS " + versions + " ("
            + "version integer PRIMARY KEY, script text NOT NULL, "
            + "applied_at timestamptz NOT NULL DEFAULT clock_timestamp())");
      }
      int current = currentVersion(connection, versions);
      if (current > VERSION) {
        throw new GovernanceStoreException("governance schema " + schema + " has version "
            + current + ", newer than this library's " + VERSION + ": upgrade jit-postgres");
      }
      for (int version = current + 1; version <= VERSION; version++) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(sql(version, schema));
        }
        try (PreparedStatement record = connection.prepareStatement(
            "INSERT INTO " + versions + " (version, script) VALUES (?, ?)")) {
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
    String schema = PostgresSchema.checkName(schemaName, "schemaName");
    String script = SCRIPTS[version - 1];
    try (InputStream in = PostgresGovernanceSchema.class.getResourceAsStream(script)) {
      if (in == null) {
        throw new IllegalStateException("the resource " + script + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace(PLACEHOLDER, schema);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the resource " + script, e);
    }
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
        throw new GovernanceStoreException(
            "the database must be PostgreSQL 13 or later, was server_version_num " + version);
      }
      if (!"UTF8".equals(encoding)) {
        throw new GovernanceStoreException("the database must be in UTF8, was " + encoding);
      }
    }
  }

  private static int currentVersion(Connection connection, String versions)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(
            "SELECT coalesce(max(version), 0) FROM " + versions)) {
      row.next();
      return row.getInt(1);
    }
  }
}
