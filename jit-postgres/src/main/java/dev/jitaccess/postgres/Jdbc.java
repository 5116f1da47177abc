package dev.jitaccess.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * Runs work on a connection of the application's {@link DataSource} and turns every failure into a
 * {@link GrantStoreException} that reveals no grant id. Works with pools that hand out connections
 * in auto-commit mode (each statement its own transaction) and with pools that do not (then it
 * commits, or rolls back on failure).
 */
final class Jdbc {
  /** Work on a connection. */
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;

  Jdbc(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
  }

  /**
   * Runs {@code work}, which issues a single statement (or only reads), committing if the
   * connection is not in auto-commit mode.
   */
  <T> T run(String operation, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      return finish(connection, work, autoCommit);
    } catch (SQLException e) {
      throw failed(operation, e);
    }
  }

  /** Runs {@code work}, which may issue several statements, in one transaction. */
  <T> T transaction(String operation, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      boolean autoCommit = connection.getAutoCommit();
      if (autoCommit) {
        connection.setAutoCommit(false);
      }
      try {
        return finish(connection, work, false);
      } finally {
        if (autoCommit) {
          connection.setAutoCommit(true);
        }
      }
    } catch (SQLException e) {
      throw failed(operation, e);
    }
  }

  private static <T> T finish(Connection connection, Work<T> work, boolean autoCommit)
      throws SQLException {
    try {
      T result = work.run(connection);
      if (!autoCommit) {
        connection.commit();
      }
      return result;
    } catch (SQLException | RuntimeException | Error e) {
      if (!autoCommit) {
        try {
          connection.rollback();
        } catch (SQLException rollback) {
          e.addSuppressed(sanitized(rollback));
        }
      }
      throw e;
    }
  }

  /** A store exception for {@code operation}, with the database's error but no row data. */
  static GrantStoreException failed(String operation, SQLException e) {
    SQLException clean = sanitized(e);
    return new GrantStoreException("PostgreSQL grant store could not " + operation + ": "
        + clean.getMessage() + " (SQLState " + clean.getSQLState() + ")", clean);
  }

  /**
   * {@code e} with only the first line of its message (a server error's detail, on the lines
   * after, can quote the row, and so an id), the same for the SQL exceptions it chains, and its
   * stack trace.
   */
  static SQLException sanitized(SQLException e) {
    Throwable cause = e.getCause();
    if (cause instanceof SQLException) {
      cause = sanitized((SQLException) cause);
    }
    SQLException clean = new SQLException(firstLine(e.getMessage()), e.getSQLState(),
        e.getErrorCode(), cause);
    clean.setStackTrace(e.getStackTrace());
    return clean;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no message";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
