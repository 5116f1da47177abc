package dev.jitaccess.postgres;

import dev.jitaccess.Scope;
import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.BundleState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A bundle as a row of {@code bundles} and back: every field, instants as seconds and
 * nanoseconds, the scope as its text, the state as its name.
 */
final class BundleRows {
  /** The columns written and read, in the order {@link #bind} binds them; {@code name} first. */
  static final List<String> COLUMNS = List.of("name", "owner", "approved_by", "scope", "tier",
      "starts_at_s", "starts_at_n", "ends_at_s", "ends_at_n", "created_at_s", "created_at_n",
      "state", "ended_at_s", "ended_at_n", "version");

  private BundleRows() {}

  /**
   * Checks that PostgreSQL can hold every text of {@code b} as it is.
   *
   * @throws IllegalArgumentException naming the field, if one cannot be stored
   */
  static void checkStorable(Bundle b) {
    RequestRows.storable(b.name(), "name");
    RequestRows.storable(b.owner(), "owner");
    RequestRows.storable(b.approvedBy(), "approvedBy");
    RequestRows.storable(b.scope().toString(), "scope");
    RequestRows.storable(b.tier(), "tier");
  }

  /** Binds every column of {@code b}, in {@link #COLUMNS} order, from {@code first} on. */
  static int bind(PreparedStatement s, int first, Bundle b) throws SQLException {
    int i = first;
    s.setString(i++, b.name());
    s.setString(i++, b.owner());
    s.setString(i++, b.approvedBy());
    s.setString(i++, b.scope().toString());
    s.setString(i++, b.tier());
    i = instant(s, i, b.startsAt());
    i = instant(s, i, b.endsAt());
    i = instant(s, i, b.createdAt());
    s.setString(i++, b.state().name());
    i = instant(s, i, b.endedAt());
    s.setLong(i++, b.version());
    return i;
  }

  private static int instant(PreparedStatement s, int first, @Nullable Instant instant)
      throws SQLException {
    if (instant == null) {
      s.setNull(first, Types.BIGINT);
      s.setNull(first + 1, Types.INTEGER);
    } else {
      s.setLong(first, instant.getEpochSecond());
      s.setInt(first + 1, instant.getNano());
    }
    return first + 2;
  }

  /**
   * The bundle in the {@link #COLUMNS} from 1 on.
   *
   * @throws GovernanceStoreException if they do not make a valid bundle
   */
  static Bundle read(ResultSet row) throws SQLException {
    try {
      return new Bundle(row.getString(1), row.getString(2), row.getString(3),
          Scope.parse(row.getString(4)), row.getString(5), instant(row, 6), instant(row, 8),
          instant(row, 10), BundleState.valueOf(row.getString(12)), nullableInstant(row, 13),
          row.getLong(15));
    } catch (RuntimeException invalid) {
      // The record's messages name the field and the rule; a bundle holds no grant id.
      throw new GovernanceStoreException(
          "a stored bundle is not valid: " + invalid.getMessage(), invalid);
    }
  }

  private static Instant instant(ResultSet row, int column) throws SQLException {
    return Instant.ofEpochSecond(row.getLong(column), row.getInt(column + 1));
  }

  private static @Nullable Instant nullableInstant(ResultSet row, int column)
      throws SQLException {
    long seconds = row.getLong(column);
    return row.wasNull() ? null : Instant.ofEpochSecond(seconds, row.getInt(column + 1));
  }
}
