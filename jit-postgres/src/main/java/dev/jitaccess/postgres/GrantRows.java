package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * A grant as a row of {@code grants} and back: every field, instants as epoch seconds and
 * nanoseconds, the scope as its text, tier, request and source as nullable text.
 */
final class GrantRows {
  /** The columns a grant is read from, in the order {@link #read} expects. */
  private static final String[] READ = {"id", "subject", "owner", "task", "purpose", "scope",
      "issued_at_s", "issued_at_n", "expires_at_s", "expires_at_n", "not_after_s", "not_after_n",
      "parent_id", "use_budget", "uses_consumed", "version", "state", "end_reason", "ended_at_s",
      "ended_at_n", "tier", "request_id", "source"};

  /** How many columns {@link #read} reads. */
  static final int COLUMNS = READ.length;

  /** The columns an insert writes, in the order {@link #bindInsert} binds them. */
  static final String INSERT_COLUMNS = "id, reference, subject, owner, task, purpose, scope, "
      + "issued_at_s, issued_at_n, expires_at_s, expires_at_n, not_after_s, not_after_n, "
      + "parent_id, use_budget, uses_consumed, version, state, end_reason, ended_at_s, ended_at_n, "
      + "tier, request_id, source";

  /** How many parameters {@link #bindInsert} binds. */
  static final int INSERT_PARAMETERS = 24;

  private GrantRows() {}

  /** The columns {@link #read} expects, each prefixed with {@code alias} and a dot. */
  static String columns(String alias) {
    StringBuilder list = new StringBuilder();
    for (String column : READ) {
      if (list.length() > 0) {
        list.append(", ");
      }
      list.append(alias).append('.').append(column);
    }
    return list.toString();
  }

  /** Binds every field of {@code grant}, and its reference, from parameter {@code first} on. */
  static void bindInsert(PreparedStatement statement, int first, Grant grant)
      throws SQLException {
    int i = first;
    statement.setString(i++, grant.id());
    statement.setString(i++, grant.reference());
    statement.setString(i++, grant.subject());
    statement.setString(i++, grant.owner());
    statement.setString(i++, grant.task());
    statement.setString(i++, grant.purpose());
    statement.setString(i++, grant.scope().toString());
    i = bindInstant(statement, i, grant.issuedAt());
    i = bindInstant(statement, i, grant.expiresAt());
    i = bindInstant(statement, i, grant.notAfter());
    bindText(statement, i++, grant.parentId());
    OptionalLong budget = grant.useBudget();
    if (budget.isPresent()) {
      statement.setLong(i++, budget.getAsLong());
    } else {
      statement.setNull(i++, Types.BIGINT);
    }
    statement.setLong(i++, grant.usesConsumed());
    statement.setLong(i++, grant.version());
    i = bindEnding(statement, i, grant);
    bindText(statement, i++, grant.tier());
    bindText(statement, i++, grant.requestId());
    bindText(statement, i, grant.source());
  }

  /**
   * Binds what a transition may change, in the order {@code expires_at_s, expires_at_n,
   * uses_consumed, state, end_reason, ended_at_s, ended_at_n}, from parameter {@code first} on.
   *
   * @return the next parameter index
   */
  static int bindTransition(PreparedStatement statement, int first, Grant grant)
      throws SQLException {
    int i = bindInstant(statement, first, grant.expiresAt());
    statement.setLong(i++, grant.usesConsumed());
    return bindEnding(statement, i, grant);
  }

  /** Binds {@code state, end_reason, ended_at_s, ended_at_n}; returns the next index. */
  private static int bindEnding(PreparedStatement statement, int first, Grant grant)
      throws SQLException {
    int i = first;
    statement.setString(i++, grant.state().name());
    RevocationReason reason = grant.endReason();
    bindText(statement, i++, reason == null ? null : reason.code());
    Instant endedAt = grant.endedAt();
    if (endedAt == null) {
      statement.setNull(i++, Types.BIGINT);
      statement.setNull(i++, Types.INTEGER);
      return i;
    }
    return bindInstant(statement, i, endedAt);
  }

  /** Binds an instant's epoch seconds and nanoseconds; returns the next index. */
  static int bindInstant(PreparedStatement statement, int first, Instant instant)
      throws SQLException {
    statement.setLong(first, instant.getEpochSecond());
    statement.setInt(first + 1, instant.getNano());
    return first + 2;
  }

  private static void bindText(PreparedStatement statement, int index, @Nullable String text)
      throws SQLException {
    if (text == null) {
      statement.setNull(index, Types.VARCHAR);
    } else {
      statement.setString(index, text);
    }
  }

  /**
   * The grant in the {@link #COLUMNS} columns from {@code first} on.
   *
   * @throws GrantStoreException if they do not make a valid grant
   */
  static Grant read(ResultSet row, int first) throws SQLException {
    int i = first;
    String id = row.getString(i++);
    String subject = row.getString(i++);
    String owner = row.getString(i++);
    String task = row.getString(i++);
    String purpose = row.getString(i++);
    String scope = row.getString(i++);
    Instant issuedAt = instant(row, i);
    Instant expiresAt = instant(row, i + 2);
    Instant notAfter = instant(row, i + 4);
    i += 6;
    String parentId = row.getString(i++);
    long budget = row.getLong(i++);
    OptionalLong useBudget = row.wasNull() ? OptionalLong.empty() : OptionalLong.of(budget);
    long usesConsumed = row.getLong(i++);
    long version = row.getLong(i++);
    String state = row.getString(i++);
    String reason = row.getString(i++);
    long endedSeconds = row.getLong(i++);
    Instant endedAt = row.wasNull() ? null : Instant.ofEpochSecond(endedSeconds, row.getInt(i));
    String tier = row.getString(i + 1);
    String requestId = row.getString(i + 2);
    String source = row.getString(i + 3);
    try {
      return Grant.builder().id(id).subject(subject).owner(owner).task(task).purpose(purpose)
          .scope(Scopes.parse(scope)).issuedAt(issuedAt).expiresAt(expiresAt).notAfter(notAfter)
          .parentId(parentId).useBudget(useBudget).usesConsumed(usesConsumed).version(version)
          .state(GrantState.valueOf(state), reason == null ? null : RevocationReason.of(reason),
              endedAt)
          .tier(tier).requestId(requestId).source(source).build();
    } catch (RuntimeException invalid) {
      // The builder's messages name the field and the rule and never echo an id.
      throw new GrantStoreException(
          "a stored grant is not valid: " + invalid.getMessage(), invalid);
    }
  }

  private static Instant instant(ResultSet row, int first) throws SQLException {
    return Instant.ofEpochSecond(row.getLong(first), row.getInt(first + 1));
  }

  /**
   * Whether PostgreSQL can hold {@code text} as it is: no NUL, no unpaired surrogate (which the
   * driver would send as {@code ?}). A stored name never has either, so a query for one can
   * answer at once.
   */
  static boolean isStorable(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == 0) {
        return false;
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
          return false;
        }
        i++;
      } else if (Character.isLowSurrogate(c)) {
        return false;
      }
    }
    return true;
  }
}
