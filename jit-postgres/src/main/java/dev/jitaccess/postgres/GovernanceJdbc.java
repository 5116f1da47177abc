package dev.jitaccess.postgres;

import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * {@link Jdbc} for the governance store: the same handling of connections, auto-commit and
 * rollback, with its failures reported as {@link GovernanceStoreException}, carrying the same
 * sanitized cause (the first line of the driver's message, never a row).
 */
final class GovernanceJdbc {
  private final Jdbc jdbc;

  GovernanceJdbc(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** Runs {@code work}, a single statement or only reads. */
  <T> T run(String operation, Jdbc.Work<T> work) {
    try {
      return jdbc.run(operation, work);
    } catch (GrantStoreException e) {
      throw failed(operation, e);
    }
  }

  /** Runs {@code work}, which may issue several statements, in one transaction. */
  <T> T transaction(String operation, Jdbc.Work<T> work) {
    try {
      return jdbc.transaction(operation, work);
    } catch (GrantStoreException e) {
      throw failed(operation, e);
    }
  }

  /** The governance store's exception for a failure {@link Jdbc} reported. */
  private static GovernanceStoreException failed(String operation, GrantStoreException e) {
    Throwable cause = e.getCause();
    if (cause instanceof SQLException) { // already sanitized by Jdbc
      SQLException clean = (SQLException) cause;
      return new GovernanceStoreException("PostgreSQL governance store could not " + operation
          + ": " + clean.getMessage() + " (SQLState " + clean.getSQLState() + ")", clean);
    }
    return new GovernanceStoreException("PostgreSQL governance store could not " + operation
        + ": " + e.getMessage(), e);
  }
}
