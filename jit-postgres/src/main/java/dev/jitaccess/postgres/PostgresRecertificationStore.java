package dev.jitaccess.postgres;

import dev.jitaccess.governance.Certification;
import dev.jitaccess.governance.spi.RecertificationStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Objects;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link RecertificationStore} on PostgreSQL: the recertification decisions, lapses, notices and
 * suspensions that every replica of an application shares. It runs on the {@link DataSource} the
 * application provides, in the tables of {@link PostgresGovernanceSchema} (version 2 or later),
 * which must exist. Needs {@code jit-governance} on the class or module path.
 *
 * <p>{@link #markLapsed} and {@link #markNoticed} are each one {@code INSERT ... ON CONFLICT DO
 * NOTHING} keyed by item and due time (seconds and nanoseconds): of racing calls, on any
 * replicas, exactly one inserts the row and answers true, so a lapse is acted on and audited
 * once. {@link #record} replaces the item's decision and deletes its suspension in one statement.
 * Every item is a bound parameter, matched exactly.
 *
 * <p>Text PostgreSQL cannot hold as it is (NUL, an unpaired surrogate) is refused with {@link
 * IllegalArgumentException} naming the field; a lookup by such an item finds nothing, without a
 * query.
 *
 * <p>Thread-safe. Each call is one statement, so one transaction. A failure of the database
 * throws {@link GovernanceStoreException}, whose message quotes no row, and leaves nothing
 * half-written.
 */
public final class PostgresRecertificationStore implements RecertificationStore {
  private final GovernanceJdbc jdbc;
  private final BundleSql sql;

  private PostgresRecertificationStore(Builder builder) {
    this.jdbc = new GovernanceJdbc(
        Objects.requireNonNull(builder.dataSource, "dataSource must not be null"));
    this.sql = new BundleSql(builder.schema);
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
   * @throws GovernanceStoreException if the database fails, or holds an invalid decision
   */
  @Override
  public @Nullable Certification latest(String item) {
    Objects.requireNonNull(item, "item must not be null");
    if (!RequestRows.isStorable(item)) {
      return null;
    }
    return jdbc.run("read a recertification decision", connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.latest)) {
        select.setString(1, item);
        try (ResultSet row = select.executeQuery()) {
          if (!row.next()) {
            return null;
          }
          try {
            return new Certification(row.getString(1), row.getString(2), row.getBoolean(3),
                row.getString(4), Instant.ofEpochSecond(row.getLong(5), row.getInt(6)));
          } catch (RuntimeException invalid) {
            throw new GovernanceStoreException("a stored recertification decision is not valid: "
                + invalid.getMessage(), invalid);
          }
        }
      }
    });
  }

  /**
   * {@inheritDoc} It replaces the item's decision, whatever its date.
   *
   * @throws IllegalArgumentException naming the field, if a text cannot be stored as it is
   * @throws GovernanceStoreException if the database fails (then nothing changed)
   */
  @Override
  public void record(Certification certification) {
    Objects.requireNonNull(certification, "certification must not be null");
    RequestRows.storable(certification.item(), "item");
    RequestRows.storable(certification.reviewer(), "reviewer");
    RequestRows.storable(certification.note(), "note");
    jdbc.run("record a recertification decision", connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(sql.record)) {
        upsert.setString(1, certification.item());
        upsert.setString(2, certification.item());
        upsert.setString(3, certification.reviewer());
        upsert.setBoolean(4, certification.keep());
        upsert.setString(5, certification.note());
        upsert.setLong(6, certification.at().getEpochSecond());
        upsert.setInt(7, certification.at().getNano());
        return upsert.executeUpdate();
      }
    });
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code item} cannot be stored as it is
   * @throws GovernanceStoreException if the database fails
   */
  @Override
  public boolean markLapsed(String item, Instant dueAt) {
    return mark("mark a recertification lapsed", sql.markLapsed, item, dueAt);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code item} cannot be stored as it is
   * @throws GovernanceStoreException if the database fails
   */
  @Override
  public boolean markNoticed(String item, Instant dueAt) {
    return mark("mark a recertification noticed", sql.markNoticed, item, dueAt);
  }

  private boolean mark(String operation, String statement, String item, Instant dueAt) {
    Objects.requireNonNull(item, "item must not be null");
    Objects.requireNonNull(dueAt, "dueAt must not be null");
    RequestRows.storable(item, "item");
    return jdbc.run(operation, connection -> {
      try (PreparedStatement insert = connection.prepareStatement(statement)) {
        insert.setString(1, item);
        insert.setLong(2, dueAt.getEpochSecond());
        insert.setInt(3, dueAt.getNano());
        return insert.executeUpdate() == 1;
      }
    });
  }

  /**
   * {@inheritDoc} Suspending it again changes nothing.
   *
   * @throws IllegalArgumentException if {@code item} cannot be stored as it is
   * @throws GovernanceStoreException if the database fails
   */
  @Override
  public void suspend(String item) {
    Objects.requireNonNull(item, "item must not be null");
    RequestRows.storable(item, "item");
    jdbc.run("suspend an item", connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql.suspend)) {
        insert.setString(1, item);
        return insert.executeUpdate();
      }
    });
  }

  /**
   * {@inheritDoc}
   *
   * @throws GovernanceStoreException if the database fails
   */
  @Override
  public boolean isSuspended(String item) {
    Objects.requireNonNull(item, "item must not be null");
    if (!RequestRows.isStorable(item)) {
      return false;
    }
    return jdbc.run("read an item's suspension", connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.isSuspended)) {
        select.setString(1, item);
        try (ResultSet row = select.executeQuery()) {
          row.next();
          return row.getBoolean(1);
        }
      }
    });
  }

  /** Builds a {@link PostgresRecertificationStore}. Not thread-safe. */
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
    public PostgresRecertificationStore build() {
      return new PostgresRecertificationStore(this);
    }
  }
}
