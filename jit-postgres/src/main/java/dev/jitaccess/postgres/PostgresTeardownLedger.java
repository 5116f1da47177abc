package dev.jitaccess.postgres;

import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link TeardownLedger} on PostgreSQL: the teardown entries every replica of an application
 * shares, so that a teardown a replica started is finished by another once the first stops, and
 * none is lost in a restart. It runs on the {@link DataSource} the application provides, in the
 * table {@code teardown_entries} of {@link PostgresGovernanceSchema} (version 3), which must exist:
 * call {@link PostgresGovernanceSchema#apply} at start, or migrate with your own tool. Needs
 * {@code jit-teardown} on the class or module path (an optional dependency of this module).
 *
 * <p>Each call is one statement. {@link #insert} is an {@code INSERT ... ON CONFLICT DO NOTHING}
 * on the key (grant id, downstream). {@link #compareAndSet} is one {@code UPDATE ... WHERE id = ?
 * AND downstream = ? AND entry_version = ?}, decided by the database. {@link #claimDue} is one
 * {@code UPDATE ... FROM (SELECT ... ORDER BY claimable LIMIT ? FOR UPDATE SKIP LOCKED) ...
 * RETURNING ...} over a partial index on (downstream, the time an entry becomes claimable): racing
 * claimers skip the rows another holds, and each entry goes to one. An entry's grant is stored
 * whole (every field of {@link dev.jitaccess.Grant}, instants to the nanosecond), and read back
 * through the builders, which check it. Every id and name is a bound parameter.
 *
 * <p>Text that PostgreSQL cannot hold as it is (NUL, an unpaired surrogate) is refused with
 * {@link IllegalArgumentException} naming the field, rather than stored altered; a lookup by such
 * a grant id finds nothing, without a query.
 *
 * <p>Thread-safe. A failure of the database throws {@link GovernanceStoreException}, whose message
 * is the operation and the first line of the database's error, never a grant id; the teardown then
 * leaves the entry as it was and works it again once its lease has passed (it fails closed: an
 * entry is never taken for settled on an error).
 */
public final class PostgresTeardownLedger implements TeardownLedger {
  private static final Comparator<Claimed> EARLIEST_FIRST =
      Comparator.comparing(Claimed::claimableAt).thenComparing(c -> c.entry.grantId());

  private final GovernanceJdbc jdbc;
  private final TeardownSql sql;

  private PostgresTeardownLedger(Builder builder) {
    this.jdbc = new GovernanceJdbc(
        Objects.requireNonNull(builder.dataSource, "dataSource must not be null"));
    this.sql = new TeardownSql(builder.schema);
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** The schema the table is in. */
  public String schema() {
    return sql.schema;
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if the entry's version is not 0, or a text cannot be stored
   *     as it is
   * @throws GovernanceStoreException if the database fails (then nothing is stored)
   */
  @Override
  public boolean insert(TeardownEntry entry) {
    Objects.requireNonNull(entry, "entry must not be null");
    if (entry.version() != 0) {
      throw new IllegalArgumentException("entry.version must be 0, was " + entry.version());
    }
    TeardownRows.checkStorable(entry);
    return jdbc.run("insert a teardown entry", connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql.insert)) {
        TeardownRows.bind(insert, 1, entry);
        return insert.executeUpdate() == 1;
      }
    });
  }

  /**
   * {@inheritDoc}
   *
   * @throws GovernanceStoreException if the database fails, or holds an invalid entry
   */
  @Override
  public @Nullable TeardownEntry get(String grantId, String downstream) {
    Objects.requireNonNull(grantId, "grantId must not be null");
    Objects.requireNonNull(downstream, "downstream must not be null");
    if (!GrantRows.isStorable(grantId) || !GrantRows.isStorable(downstream)) {
      return null;
    }
    List<TeardownEntry> found = query("read a teardown entry", sql.get, s -> {
      s.setString(1, grantId);
      s.setString(2, downstream);
    });
    return found.isEmpty() ? null : found.get(0);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code next} is not a legal successor, or a text of it
   *     cannot be stored as it is
   * @throws GovernanceStoreException if the database fails (then nothing changed)
   */
  @Override
  public boolean compareAndSet(TeardownEntry expected, TeardownEntry next) {
    Objects.requireNonNull(expected, "expected must not be null");
    Objects.requireNonNull(next, "next must not be null");
    TeardownLedger.checkTransition(expected, next);
    TeardownRows.checkStorable(next);
    return jdbc.run("compare and set a teardown entry", connection -> {
      try (PreparedStatement update = connection.prepareStatement(sql.compareAndSet)) {
        int i = TeardownRows.bind(update, 1, next);
        update.setString(i++, expected.grantId());
        update.setString(i++, expected.downstream());
        update.setLong(i, expected.version());
        return update.executeUpdate() == 1;
      }
    });
  }

  /**
   * {@inheritDoc} One statement; the entries are returned earliest claimable first.
   *
   * @throws IllegalArgumentException if {@code limit} is not {@code > 0}
   * @throws GovernanceStoreException if the database fails (then nothing is leased)
   */
  @Override
  public List<TeardownEntry> claimDue(String downstream, Instant now, String owner,
      Instant leaseUntil, int limit) {
    Objects.requireNonNull(downstream, "downstream must not be null");
    Objects.requireNonNull(now, "now must not be null");
    Objects.requireNonNull(owner, "owner must not be null");
    Objects.requireNonNull(leaseUntil, "leaseUntil must not be null");
    positive(limit);
    if (!GrantRows.isStorable(owner)) {
      throw new IllegalArgumentException("owner must not hold NUL or an unpaired surrogate");
    }
    if (!GrantRows.isStorable(downstream)) {
      return List.of();
    }
    List<Claimed> claimed = jdbc.run("claim due teardown entries", connection -> {
      try (PreparedStatement claim = connection.prepareStatement(sql.claimDue)) {
        claim.setString(1, owner);
        int i = GrantRows.bindInstant(claim, 2, leaseUntil);
        i = GrantRows.bindInstant(claim, i, now);
        claim.setString(i++, downstream);
        i = GrantRows.bindInstant(claim, i, now);
        claim.setInt(i, limit);
        List<Claimed> rows = new ArrayList<>();
        try (ResultSet row = claim.executeQuery()) {
          while (row.next()) {
            rows.add(new Claimed(Instant.ofEpochSecond(row.getLong(1), row.getInt(2)),
                TeardownRows.read(row, 3)));
          }
        }
        return rows;
      }
    });
    claimed.sort(EARLIEST_FIRST);
    List<TeardownEntry> entries = new ArrayList<>(claimed.size());
    for (Claimed c : claimed) {
      entries.add(c.entry);
    }
    return entries;
  }

  /** A claimed entry and when it had become claimable. */
  private record Claimed(Instant claimableAt, TeardownEntry entry) {}

  /**
   * {@inheritDoc}
   *
   * @throws GovernanceStoreException if the database fails, or holds an invalid entry
   */
  @Override
  public List<TeardownEntry> entriesOf(String grantId) {
    Objects.requireNonNull(grantId, "grantId must not be null");
    if (!GrantRows.isStorable(grantId)) {
      return List.of();
    }
    return query("read a grant's teardown entries", sql.entriesOf, s -> s.setString(1, grantId));
  }

  /**
   * {@inheritDoc} One range scan of the partial index of unsettled entries, RETAINED ones (due for
   * a re-check) skipped.
   *
   * @throws IllegalArgumentException if {@code limit} is not {@code > 0}
   * @throws GovernanceStoreException if the database fails, or holds an invalid entry
   */
  @Override
  public List<TeardownEntry> lingering(Instant endedBefore, int limit) {
    Objects.requireNonNull(endedBefore, "endedBefore must not be null");
    positive(limit);
    return query("list lingering teardown entries", sql.lingering, s -> {
      GrantRows.bindInstant(s, 1, endedBefore);
      s.setInt(3, limit);
    });
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code limit} is not {@code > 0}
   * @throws GovernanceStoreException if the database fails (then nothing is deleted)
   */
  @Override
  public int deleteSettled(Instant updatedBefore, int limit) {
    Objects.requireNonNull(updatedBefore, "updatedBefore must not be null");
    positive(limit);
    return jdbc.run("delete settled teardown entries", connection -> {
      try (PreparedStatement delete = connection.prepareStatement(sql.deleteSettled)) {
        GrantRows.bindInstant(delete, 1, updatedBefore);
        delete.setInt(3, limit);
        return delete.executeUpdate();
      }
    });
  }

  private static void positive(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0, was " + limit);
    }
  }

  /** Binds a statement's parameters. */
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private List<TeardownEntry> query(String operation, String statementText, Binder binder) {
    return jdbc.run(operation, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(statementText)) {
        binder.bind(statement);
        List<TeardownEntry> found = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            found.add(TeardownRows.read(rows, 1));
          }
        }
        return found;
      }
    });
  }

  @Override
  public String toString() {
    return "PostgresTeardownLedger[schema=" + sql.schema + "]";
  }

  /** Builds a {@link PostgresTeardownLedger}. Not thread-safe. */
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
     * The schema the table is in; default {@value PostgresSchema#DEFAULT_NAME}, the grant
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
     * The ledger. It does not touch the database until it is used.
     *
     * @throws NullPointerException if no data source was given
     */
    public PostgresTeardownLedger build() {
      return new PostgresTeardownLedger(this);
    }
  }
}
