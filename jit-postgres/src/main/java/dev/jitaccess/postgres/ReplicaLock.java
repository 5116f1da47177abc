package dev.jitaccess.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Background work that one replica at a time does, without leader election: each batch of it runs
 * in a transaction that first takes a transaction-level advisory lock named after the schema and
 * the task ({@code pg_try_advisory_xact_lock}). A replica that does not get the lock skips the
 * work, since another is doing it; the lock is released when the batch commits, or when its
 * connection dies.
 */
final class ReplicaLock {
  /** The advisory lock's first key, "JITB": the second is the hash of the schema and the task. */
  private static final int LOCK_CLASS = 0x4A495442;

  private ReplicaLock() {}

  /** Whether this transaction took the lock of {@code task} in {@code schema}. */
  static boolean tryLock(Connection connection, String schema, String task) throws SQLException {
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?, hashtext(?))")) {
      lock.setInt(1, LOCK_CLASS);
      lock.setString(2, schema + "/" + task);
      try (ResultSet row = lock.executeQuery()) {
        row.next();
        return row.getBoolean(1);
      }
    }
  }
}
