package dev.jitaccess.postgres;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;

/**
 * A store's retention: when a grant is past it ({@link #cutoff()}), and the purge that deletes
 * such grants in batches, one replica at a time. Thread-safe.
 */
final class Purger {
  /** How many grants {@link #purgeEnded()} deletes per statement. */
  static final int BATCH = 1_000;

  private final Jdbc jdbc;
  private final GrantSql sql;
  private final Clock clock;
  private final Duration retention;

  Purger(Jdbc jdbc, GrantSql sql, Clock clock, Duration retention) {
    this.jdbc = jdbc;
    this.sql = sql;
    this.clock = clock;
    this.retention = retention;
  }

  /** Now on the configured clock minus the retention: grants retained from then on are gone. */
  Instant cutoff() {
    Instant now = clock.instant();
    try {
      return now.minus(retention);
    } catch (DateTimeException | ArithmeticException beforeTime) {
      return Instant.MIN;
    }
  }

  /** See {@link PostgresGrantStore#purgeEnded()}. */
  long purgeEnded() {
    Instant cutoff = cutoff();
    long total = 0;
    while (true) {
      int deleted = jdbc.transaction("purge ended grants", connection -> {
        if (!ReplicaLock.tryLock(connection, sql.schema, "purge-grants")) {
          return -1;
        }
        try (PreparedStatement statement = connection.prepareStatement(sql.purge)) {
          int i = GrantRows.bindInstant(statement, 1, cutoff);
          statement.setInt(i, BATCH);
          return statement.executeUpdate();
        }
      });
      if (deleted < 0) {
        return total; // another replica is purging
      }
      total += deleted;
      if (deleted < BATCH) {
        return total;
      }
    }
  }
}
