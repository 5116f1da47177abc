package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownState;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A teardown entry as a row of {@code teardown_entries} and back: the grant's snapshot through
 * {@link GrantRows} (every field, as {@code grants} holds it), then the entry's own fields,
 * instants as epoch seconds and nanoseconds.
 */
final class TeardownRows {
  /** The entry's own columns, after the grant's, in the order of {@link #bind} and {@link #read}. */
  private static final String ENTRY_COLUMNS = "downstream, teardown_state, entitlement, attempts, "
      + "created_at_s, created_at_n, updated_at_s, updated_at_n, due_at_s, due_at_n, lease_owner, "
      + "lease_until_s, lease_until_n, cause, retained_by, actor, entry_version";

  /** Every column {@link #bind} writes, in its order. */
  static final String WRITE_COLUMNS = GrantRows.INSERT_COLUMNS + ", " + ENTRY_COLUMNS;

  /** How many parameters {@link #bind} binds. */
  static final int PARAMETERS = GrantRows.INSERT_PARAMETERS + 17;

  private TeardownRows() {}

  /** The columns {@link #read} expects, the grant's prefixed with {@code alias} and a dot. */
  static String readColumns(String alias) {
    StringBuilder list = new StringBuilder(GrantRows.columns(alias));
    for (String column : ENTRY_COLUMNS.split(", ")) {
      list.append(", ").append(alias).append('.').append(column);
    }
    return list.toString();
  }

  /** {@code count} comma-separated parameter markers. */
  static String markers(int count) {
    return String.join(", ", java.util.Collections.nCopies(count, "?"));
  }

  /**
   * Refuses an entry whose texts PostgreSQL cannot hold as they are.
   *
   * @throws IllegalArgumentException naming the field, never its value
   */
  static void checkStorable(TeardownEntry e) {
    Grant g = e.grant();
    storable(g.id(), "entry.grant.id");
    storable(g.subject(), "entry.grant.subject");
    storable(g.owner(), "entry.grant.owner");
    storable(g.task(), "entry.grant.task");
    storable(g.purpose(), "entry.grant.purpose");
    storable(g.scope().toString(), "entry.grant.scope");
    storable(g.parentId(), "entry.grant.parentId");
    storable(g.tier(), "entry.grant.tier");
    storable(g.requestId(), "entry.grant.requestId");
    storable(g.source(), "entry.grant.source");
    storable(e.entitlement(), "entry.entitlement");
    storable(e.leaseOwner(), "entry.leaseOwner");
    storable(e.cause(), "entry.cause");
    storable(e.retainedBy(), "entry.retainedBy");
    storable(e.actor(), "entry.actor");
  }

  private static void storable(@Nullable String text, String field) {
    if (text != null && !GrantRows.isStorable(text)) {
      throw new IllegalArgumentException(field + " must not hold NUL or an unpaired surrogate");
    }
  }

  /** Binds every column of {@link #WRITE_COLUMNS} from parameter {@code first}; the next index. */
  static int bind(PreparedStatement s, int first, TeardownEntry e) throws SQLException {
    GrantRows.bindInsert(s, first, e.grant());
    int i = first + GrantRows.INSERT_PARAMETERS;
    s.setString(i++, e.downstream());
    s.setString(i++, e.state().name());
    text(s, i++, e.entitlement());
    s.setInt(i++, e.attempts());
    i = GrantRows.bindInstant(s, i, e.createdAt());
    i = GrantRows.bindInstant(s, i, e.updatedAt());
    i = instant(s, i, e.dueAt());
    text(s, i++, e.leaseOwner());
    i = instant(s, i, e.leaseUntil());
    text(s, i++, e.cause());
    text(s, i++, e.retainedBy());
    text(s, i++, e.actor());
    s.setLong(i++, e.version());
    return i;
  }

  private static int instant(PreparedStatement s, int i, @Nullable Instant at)
      throws SQLException {
    if (at == null) {
      s.setNull(i, Types.BIGINT);
      s.setNull(i + 1, Types.INTEGER);
      return i + 2;
    }
    return GrantRows.bindInstant(s, i, at);
  }

  private static void text(PreparedStatement s, int i, @Nullable String text) throws SQLException {
    if (text == null) {
      s.setNull(i, Types.VARCHAR);
    } else {
      s.setString(i, text);
    }
  }

  /**
   * The entry in the {@link #readColumns} columns from {@code first} on.
   *
   * @throws GovernanceStoreException if they do not make a valid entry (the message names the
   *     rule, never the grant id)
   */
  static TeardownEntry read(ResultSet row, int first) throws SQLException {
    Grant grant = GrantRows.read(row, first);
    int i = first + GrantRows.COLUMNS;
    String downstream = row.getString(i++);
    String state = row.getString(i++);
    String entitlement = row.getString(i++);
    int attempts = row.getInt(i++);
    Instant createdAt = Instant.ofEpochSecond(row.getLong(i), row.getInt(i + 1));
    Instant updatedAt = Instant.ofEpochSecond(row.getLong(i + 2), row.getInt(i + 3));
    i += 4;
    Instant dueAt = nullableInstant(row, i);
    String leaseOwner = row.getString(i + 2);
    Instant leaseUntil = nullableInstant(row, i + 3);
    i += 5;
    String cause = row.getString(i++);
    String retainedBy = row.getString(i++);
    String actor = row.getString(i++);
    long version = row.getLong(i);
    try {
      return TeardownEntry.builder(grant, downstream).state(TeardownState.valueOf(state))
          .entitlement(entitlement).attempts(attempts).createdAt(createdAt).updatedAt(updatedAt)
          .dueAt(dueAt).lease(leaseOwner, leaseUntil).cause(cause).retainedBy(retainedBy)
          .actor(actor).version(version).build();
    } catch (RuntimeException invalid) {
      // The builder's messages name the field and the rule and never echo a grant id.
      throw new GovernanceStoreException(
          "a stored teardown entry is not valid: " + invalid.getMessage(), invalid);
    }
  }

  private static @Nullable Instant nullableInstant(ResultSet row, int i) throws SQLException {
    long seconds = row.getLong(i);
    return row.wasNull() ? null : Instant.ofEpochSecond(seconds, row.getInt(i + 1));
  }
}
