package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

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
  /**
   * The retention in whole milliseconds when the clock's {@link Clock#millis()} is its instant
   * rounded down (the JDK's system and fixed clocks) and the retention is at most {@link
   * #MAX_FAST_RETENTION}; else -1, and {@link #isRetained} always takes the exact path.
   */
  private final long retentionMillis;

  /** The classes of {@link Clock#systemUTC()} and {@link Clock#fixed}. */
  private static final Class<? extends Clock> SYSTEM_CLOCK = Clock.systemUTC().getClass();
  private static final Class<? extends Clock> FIXED_CLOCK =
      Clock.fixed(Instant.EPOCH, ZoneOffset.UTC).getClass();
  /** Bounds under which the millisecond path cannot overflow a long. */
  private static final long MAX_FAST_SECONDS = 1L << 40;
  private static final Duration MAX_FAST_RETENTION = Duration.ofDays(365L * 10_000);

  Purger(Jdbc jdbc, GrantSql sql, Clock clock, Duration retention) {
    this.jdbc = jdbc;
    this.sql = sql;
    this.clock = clock;
    this.retention = retention;
    Class<?> type = clock.getClass();
    this.retentionMillis = (type == SYSTEM_CLOCK || type == FIXED_CLOCK)
        && retention.compareTo(MAX_FAST_RETENTION) <= 0 ? retention.toMillis() : -1;
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

  /**
   * Whether {@code grant} is still within the retention, exactly as {@link #isRetained(Instant)}
   * of when it ended, or of its notAfter while ACTIVE. An ACTIVE grant that the clock finds within
   * its validity is: now is before its expiresAt, so before its notAfter. That is decided by
   * {@link Grant#isWithinValidity}, which does not allocate on the system clock.
   */
  boolean isRetained(Grant grant) {
    Instant endedAt = grant.endedAt();
    if (endedAt != null) {
      return isRetained(endedAt);
    }
    return grant.isWithinValidity(clock) || isRetained(grant.notAfter());
  }

  /**
   * Whether a grant retained from {@code retainedFrom} (when it ended, or its notAfter while
   * ACTIVE) is still within the retention: {@code retainedFrom} after {@link #cutoff()}, exactly.
   * On the JDK's system and fixed clocks, when that is more than a millisecond from the boundary,
   * the clock's millisecond reading decides without allocating; near it, and on any other clock,
   * the full-precision cutoff does.
   */
  boolean isRetained(Instant retainedFrom) {
    if (retentionMillis >= 0) {
      long seconds = retainedFrom.getEpochSecond();
      if (seconds >= 0 && seconds < MAX_FAST_SECONDS) {
        // retainedFrom + retention >= fromMillis + retentionMillis (both rounded down), and the
        // true now is in [millis, millis + 1) ms: retained for sure if that sum exceeds millis.
        long fromMillis = seconds * 1000 + retainedFrom.getNano() / 1_000_000;
        long now;
        try {
          now = clock.millis();
        } catch (ArithmeticException outOfMillisRange) {
          now = Long.MAX_VALUE; // decided exactly below
        }
        if (fromMillis + retentionMillis > now) {
          return true;
        }
      }
    }
    return retainedFrom.isAfter(cutoff());
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
