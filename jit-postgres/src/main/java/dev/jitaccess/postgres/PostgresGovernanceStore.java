package dev.jitaccess.postgres;

import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.spi.BreakGlassLock;
import dev.jitaccess.governance.spi.GovernanceStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link GovernanceStore} on PostgreSQL: the access requests and break-glass locks that every
 * replica of an application shares, so that a request made on one is approved, activated or
 * reviewed on another. It runs on the {@link DataSource} the application provides (its pool, its
 * credentials), in the tables of {@link PostgresGovernanceSchema}, which must exist: call {@link
 * PostgresGovernanceSchema#apply} at start, or migrate with your own tool. Needs {@code
 * jit-governance} on the class or module path (an optional dependency of this module).
 *
 * <p>{@link #insert} writes the request's row and its approval and rejection rows in one
 * transaction. {@link #compareAndSet} is one {@code UPDATE ... WHERE id = ? AND version = ?},
 * decided by the database, then, if it updated the row, the request's approval and rejection rows
 * replaced, in the same transaction: of racing calls from one snapshot exactly one wins, and a
 * reader sees a request whole, before or after. Every write records {@link
 * AccessRequest#deadline()} in an indexed column, which {@link #due} reads. {@link #lock} is an
 * insert decided by the primary key on the subject. Every id and name is a bound parameter.
 *
 * <p>Text that PostgreSQL cannot hold as it is (NUL, an unpaired surrogate, which the driver
 * would send as {@code ?}) is refused with {@link IllegalArgumentException} rather than stored
 * altered; a lookup by such an id or subject finds nothing, without a query.
 *
 * <p>Thread-safe. A failure of the database throws {@link GovernanceStoreException}, whose
 * message never holds a grant id, and leaves nothing half-written.
 */
public final class PostgresGovernanceStore implements GovernanceStore {
  private final GovernanceJdbc jdbc;
  private final GovernanceSql sql;

  private PostgresGovernanceStore(Builder builder) {
    this.jdbc = new GovernanceJdbc(
        Objects.requireNonNull(builder.dataSource, "dataSource must not be null"));
    this.sql = new GovernanceSql(builder.schema);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The schema this store's tables are in. */
  public String schema() {
    return sql.schema;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException naming the field, if a text cannot be stored as it is
   * @throws GovernanceStoreException if the database fails (then nothing is stored)
   */
  @Override
  public void insert(AccessRequest request) {
    Objects.requireNonNull(request, "request must not be null");
    RequestRows.checkStorable(request);
    boolean inserted = jdbc.transaction("insert an access request", connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql.insert)) {
        RequestRows.bind(insert, 1, request);
        if (insert.executeUpdate() == 0) {
          return false;
        }
      }
      writeDecisions(connection, request);
      return true;
    });
    if (!inserted) {
      throw new IllegalStateException("request.id must be unique, a request with it exists");
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws GovernanceStoreException if the database fails, or holds an invalid request
   */
  @Override
  public @Nullable AccessRequest get(String requestId) {
    Objects.requireNonNull(requestId, "requestId must not be null");
    if (!RequestRows.isStorable(requestId)) {
      return null;
    }
    List<AccessRequest> found = query("read an access request", sql.get, s -> {
      s.setString(1, requestId);
      return 2;
    });
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException naming the field, if a text of {@code next} cannot be stored
   *     as it is
   * @throws GovernanceStoreException if the database fails (then nothing changed)
   */
  @Override
  public boolean compareAndSet(AccessRequest expected, AccessRequest next) {
    Objects.requireNonNull(expected, "expected must not be null");
    Objects.requireNonNull(next, "next must not be null");
    if (!next.id().equals(expected.id()) || next.version() != expected.version() + 1) {
      throw new IllegalArgumentException("next must be the next version of the same request, "
          + "was version " + next.version() + " after " + expected.version()
          + (next.id().equals(expected.id()) ? "" : " of another request"));
    }
    RequestRows.checkStorable(next);
    return jdbc.transaction("compare and set an access request", connection -> {
      try (PreparedStatement update = connection.prepareStatement(sql.compareAndSet)) {
        int i = RequestRows.bind(update, 1, next);
        update.setString(i++, expected.id());
        update.setLong(i, expected.version());
        if (update.executeUpdate() == 0) {
          return false;
        }
      }
      try (PreparedStatement delete = connection.prepareStatement(sql.deleteDecisions)) {
        delete.setString(1, next.id());
        delete.setString(2, next.id());
        delete.executeUpdate();
      }
      writeDecisions(connection, next);
      return true;
    });
  }

  private void writeDecisions(Connection connection, AccessRequest r) throws SQLException {
    if (r.approvals().isEmpty() && r.rejections().isEmpty()) {
      return;
    }
    try (PreparedStatement insert = connection.prepareStatement(sql.insertDecisions)) {
      insert.setString(1, r.id());
      RequestRows.bindDecisions(connection, insert, 2, r);
      insert.executeUpdate();
    }
  }

  /**
   * {@inheritDoc} One range scan of the index on the recorded deadline.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   * @throws GovernanceStoreException if the database fails, or holds an invalid request
   */
  @Override
  public List<AccessRequest> due(Instant now, int limit) {
    Objects.requireNonNull(now, "now must not be null");
    if (checkLimit(limit) == 0) {
      return List.of();
    }
    return query("list the access requests due", sql.due, s -> {
      s.setLong(1, now.getEpochSecond());
      s.setInt(2, now.getNano());
      s.setInt(3, limit);
      return 4;
    });
  }

  /**
   * {@inheritDoc} One range scan of the index of PENDING requests by creation.
   *
   * @throws IllegalArgumentException if {@code limit} is negative
   * @throws GovernanceStoreException if the database fails, or holds an invalid request
   */
  @Override
  public List<AccessRequest> pending(int limit) {
    if (checkLimit(limit) == 0) {
      return List.of();
    }
    return query("list the pending access requests", sql.pending, s -> {
      s.setInt(1, limit);
      return 2;
    });
  }

  private static int checkLimit(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0, was " + limit);
    }
    return limit;
  }

  /** Binds a statement's parameters from 1 on; returns the next index. */
  private interface Binder {
    int bind(PreparedStatement statement) throws SQLException;
  }

  private List<AccessRequest> query(String operation, String statementText, Binder binder) {
    return jdbc.run(operation, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(statementText)) {
        binder.bind(statement);
        List<AccessRequest> found = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            found.add(RequestRows.read(rows));
          }
        }
        return found;
      }
    });
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException naming the field, if a text cannot be stored as it is
   * @throws GovernanceStoreException if the database fails
   */
  @Override
  public boolean lock(BreakGlassLock lock) {
    Objects.requireNonNull(lock, "lock must not be null");
    RequestRows.storable(lock.subject(), "lock.subject");
    RequestRows.storable(lock.owner(), "lock.owner");
    RequestRows.storable(lock.requestId(), "lock.requestId");
    return jdbc.run("lock a subject's break-glass", connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql.lock)) {
        bindLock(insert, lock);
        return insert.executeUpdate() == 1;
      }
    });
  }

  /**
   * {@inheritDoc}
   *
   * @throws GovernanceStoreException if the database fails
   */
  @Override
  public Optional<BreakGlassLock> lockOf(String subject) {
    Objects.requireNonNull(subject, "subject must not be null");
    if (!RequestRows.isStorable(subject)) {
      return Optional.empty();
    }
    return jdbc.run("read a subject's break-glass lock", connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.lockOf)) {
        select.setString(1, subject);
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) {
            return Optional.empty();
          }
          return Optional.of(new BreakGlassLock(row.getString(1), row.getString(2),
              row.getString(3), Instant.ofEpochSecond(row.getLong(4), row.getInt(5))));
        }
      }
    });
  }

  /**
   * {@inheritDoc} Removes the row only if every field of it equals {@code lock}'s.
   *
   * @throws GovernanceStoreException if the database fails
   */
  @Override
  public boolean unlock(BreakGlassLock lock) {
    Objects.requireNonNull(lock, "lock must not be null");
    if (!RequestRows.isStorable(lock.subject()) || !RequestRows.isStorable(lock.owner())
        || !RequestRows.isStorable(lock.requestId())) {
      return false;
    }
    return jdbc.run("unlock a subject's break-glass", connection -> {
      try (PreparedStatement delete = connection.prepareStatement(sql.unlock)) {
        bindLock(delete, lock);
        return delete.executeUpdate() == 1;
      }
    });
  }

  private static void bindLock(PreparedStatement statement, BreakGlassLock lock)
      throws SQLException {
    statement.setString(1, lock.subject());
    statement.setString(2, lock.owner());
    statement.setString(3, lock.requestId());
    statement.setLong(4, lock.lockedAt().getEpochSecond());
    statement.setInt(5, lock.lockedAt().getNano());
  }

  /** Builds a {@link PostgresGovernanceStore}. Not thread-safe. */
  public static final class Builder {
    private @Nullable DataSource dataSource;
    private String schema = PostgresSchema.DEFAULT_NAME;

    private Builder() {}

    /** The application's data source (its pool and credentials). Required. */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource must not be null");
      return this;
    }

    /**
     * The schema the tables are in; default {@value PostgresSchema#DEFAULT_NAME}, the grant
     * store's.
     *
     * @throws IllegalArgumentException if it is not a plain SQL identifier ({@link
     *     PostgresSchema#checkName})
     */
    public Builder schema(String schema) {
      this.schema = PostgresSchema.checkName(schema, "schema");
      return this;
    }

    /**
     * The store. It does not touch the database until it is used.
     *
     * @throws NullPointerException if no data source was given
     */
    public PostgresGovernanceStore build() {
      return new PostgresGovernanceStore(this);
    }
  }
}
