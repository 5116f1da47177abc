package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * A store's two writes of single grants, each one statement that also appends the change row
 * (with this store's origin) and notifies its revision, so that the write and its change are one
 * transaction. Thread-safe.
 */
final class GrantWrites {
  private final Jdbc jdbc;
  private final GrantSql sql;
  private final String origin;

  GrantWrites(Jdbc jdbc, GrantSql sql, String origin) {
    this.jdbc = jdbc;
    this.sql = sql;
    this.origin = origin;
  }

  /** Inserts {@code grant}; false if a grant with its id exists. */
  boolean insert(Grant grant) {
    return jdbc.run("insert a grant", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql.insert)) {
        GrantRows.bindInsert(statement, 1, grant);
        statement.setString(GrantRows.INSERT_PARAMETERS + 1, origin);
        statement.setString(GrantRows.INSERT_PARAMETERS + 2, sql.schema);
        return logged(statement);
      }
    });
  }

  /**
   * Stores {@code replacement} if the stored grant is still {@code expected}'s version and
   * retained after {@code cutoff}; whether it did.
   */
  boolean compareAndSet(Grant expected, Grant replacement, Instant cutoff) {
    return jdbc.run("compare and set a grant", connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql.compareAndSet)) {
        int i = GrantRows.bindTransition(statement, 1, replacement);
        statement.setString(i++, expected.id());
        statement.setLong(i++, expected.version());
        i = GrantRows.bindInstant(statement, i, cutoff);
        statement.setString(i++, origin);
        statement.setString(i, sql.schema);
        return logged(statement);
      }
    });
  }

  /** Runs an insert or update that logs a change; whether it wrote a row. */
  private static boolean logged(PreparedStatement statement) throws SQLException {
    try (ResultSet revision = statement.executeQuery()) {
      return revision.next();
    }
  }
}
