package dev.jitaccess.postgres;

import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.spi.BundleStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link BundleStore} on PostgreSQL: the bundles, their members and the grants minted from them
 * that every replica of an application shares. It runs on the {@link DataSource} the application
 * provides, in the tables of {@link PostgresGovernanceSchema} (version 2 or later), which must
 * exist. Needs {@code jit-governance} on the class or module path.
 *
 * <p>{@link #compareAndSet} is one {@code UPDATE ... WHERE name = ? AND version = ?}, decided by
 * the database: of racing calls from one snapshot, on any replicas, exactly one wins. {@link
 * #addMembers} is one {@code INSERT ... SELECT unnest(?) ... ON CONFLICT DO NOTHING}, whatever
 * the number of members, answering how many rows it inserted; {@link #removeMembers} is one
 * {@code DELETE ... WHERE member = ANY(?) RETURNING member}, answered in the order given. Each
 * first locks the bundle's row ({@code FOR NO KEY UPDATE}) in the same transaction, so that the
 * member changes of one bundle run one after the other (and never deadlock), while reads, grants
 * and other bundles go on. Members of a bundle the store does not hold are refused by a foreign
 * key, as are grants. Every name, member and grant id is a bound parameter, matched exactly.
 * {@link #bundles} orders by {@link String#compareTo}, as the governance does, not by the
 * database's collation.
 *
 * <p>Text PostgreSQL cannot hold as it is (NUL, an unpaired surrogate) is refused with {@link
 * IllegalArgumentException} naming the field, never quoting it; a lookup by such text finds
 * nothing, without a query.
 *
 * <p>Thread-safe. Each call is one transaction. A failure of the database throws {@link
 * GovernanceStoreException}, whose message quotes no row and never a grant id, and leaves nothing
 * half-written.
 */
public final class PostgresBundleStore implements BundleStore {
  private final GovernanceJdbc jdbc;
  private final BundleSql sql;

  private PostgresBundleStore(Builder builder) {
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
   * @throws IllegalArgumentException naming the field, if a text cannot be stored as it is
   * @throws GovernanceStoreException if the database fails (then nothing is stored)
   */
  @Override
  public void insert(Bundle bundle) {
    Objects.requireNonNull(bundle, "bundle must not be null");
    BundleRows.checkStorable(bundle);
    boolean inserted = jdbc.run("insert a bundle", connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql.insert)) {
        BundleRows.bind(insert, 1, bundle);
        return insert.executeUpdate() == 1;
      }
    });
    if (!inserted) {
      throw new IllegalStateException("bundle.name must be unique, a bundle with it exists");
    }
  }

  /**
   * {@inheritDoc}
   *
   * @throws GovernanceStoreException if the database fails, or holds an invalid bundle
   */
  @Override
  public @Nullable Bundle get(String name) {
    Objects.requireNonNull(name, "name must not be null");
    if (!RequestRows.isStorable(name)) {
      return null;
    }
    return jdbc.run("read a bundle", connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.get)) {
        select.setString(1, name);
        try (ResultSet row = select.executeQuery()) {
          return row.next() ? BundleRows.read(row) : null;
        }
      }
    });
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code next} is not the next version of the same bundle,
   *     or, naming the field, if a text of it cannot be stored as it is
   * @throws GovernanceStoreException if the database fails (then nothing changed)
   */
  @Override
  public boolean compareAndSet(Bundle expected, Bundle next) {
    Objects.requireNonNull(expected, "expected must not be null");
    Objects.requireNonNull(next, "next must not be null");
    if (!next.name().equals(expected.name()) || next.version() != expected.version() + 1) {
      throw new IllegalArgumentException("next must be the next version of the same bundle, "
          + "was version " + next.version() + " after " + expected.version()
          + (next.name().equals(expected.name()) ? "" : " of another bundle"));
    }
    BundleRows.checkStorable(next);
    return jdbc.run("compare and set a bundle", connection -> {
      try (PreparedStatement update = connection.prepareStatement(sql.compareAndSet)) {
        int i = BundleRows.bind(update, 1, next);
        update.setString(i++, expected.name());
        update.setLong(i, expected.version());
        return update.executeUpdate() == 1;
      }
    });
  }

  /**
   * {@inheritDoc} Ordered by {@link String#compareTo} of their names.
   *
   * @throws GovernanceStoreException if the database fails, or holds an invalid bundle
   */
  @Override
  public List<Bundle> bundles() {
    List<Bundle> all = jdbc.run("list the bundles", connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.all);
          ResultSet rows = select.executeQuery()) {
        List<Bundle> found = new ArrayList<>();
        while (rows.next()) {
          found.add(BundleRows.read(rows));
        }
        return found;
      }
    });
    // UTF-16 order, as the in-memory store and String.compareTo: a C collation sorts by code
    // point, which differs for characters beyond the Basic Multilingual Plane.
    all.sort((a, b) -> a.name().compareTo(b.name()));
    return all;
  }

  /**
   * {@inheritDoc} One statement, whatever the number of members, after the bundle's row lock.
   *
   * @throws IllegalArgumentException naming the field, if the bundle or a member cannot be stored
   *     as it is
   * @throws GovernanceStoreException if the database fails (then none is added), or holds no
   *     bundle of that name
   */
  @Override
  public int addMembers(String bundle, Collection<String> members) {
    Objects.requireNonNull(bundle, "bundle must not be null");
    RequestRows.storable(bundle, "bundle");
    Set<String> distinct = new LinkedHashSet<>();
    for (String member : Objects.requireNonNull(members, "members must not be null")) {
      Objects.requireNonNull(member, "members must not hold null");
      RequestRows.storable(member, "members[]");
      distinct.add(member);
    }
    if (distinct.isEmpty()) {
      return 0;
    }
    return jdbc.transaction("add members to a bundle", connection -> {
      lock(connection, bundle);
      try (PreparedStatement insert = connection.prepareStatement(sql.addMembers)) {
        insert.setString(1, bundle);
        insert.setArray(2, connection.createArrayOf("text", distinct.toArray(new String[0])));
        return insert.executeUpdate();
      }
    });
  }

  /** Locks the bundle's row, if there is one, until the transaction ends. */
  private void lock(Connection connection, String bundle) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(sql.lock)) {
      lock.setString(1, bundle);
      lock.execute();
    }
  }

  /**
   * {@inheritDoc} One statement, whatever the number of members, after the bundle's row lock.
   * Text that cannot be stored is no member, and is not looked for.
   *
   * @throws GovernanceStoreException if the database fails (then none is removed)
   */
  @Override
  public List<String> removeMembers(String bundle, Collection<String> members) {
    Objects.requireNonNull(bundle, "bundle must not be null");
    Set<String> asked = new LinkedHashSet<>();
    for (String member : Objects.requireNonNull(members, "members must not be null")) {
      Objects.requireNonNull(member, "members must not hold null");
      if (RequestRows.isStorable(member)) {
        asked.add(member);
      }
    }
    if (asked.isEmpty() || !RequestRows.isStorable(bundle)) {
      return List.of();
    }
    Set<String> deleted = jdbc.transaction("remove members from a bundle", connection -> {
      lock(connection, bundle);
      try (PreparedStatement delete = connection.prepareStatement(sql.removeMembers)) {
        delete.setString(1, bundle);
        delete.setArray(2, connection.createArrayOf("text", asked.toArray(new String[0])));
        Set<String> gone = new HashSet<>();
        try (ResultSet rows = delete.executeQuery()) {
          while (rows.next()) {
            gone.add(rows.getString(1));
          }
        }
        return gone;
      }
    });
    List<String> removed = new ArrayList<>();
    for (String member : asked) {
      if (deleted.contains(member)) {
        removed.add(member);
      }
    }
    return removed;
  }

  /**
   * {@inheritDoc}
   *
   * @throws GovernanceStoreException if the database fails
   */
  @Override
  public boolean isMember(String bundle, String member) {
    Objects.requireNonNull(bundle, "bundle must not be null");
    Objects.requireNonNull(member, "member must not be null");
    if (!RequestRows.isStorable(bundle) || !RequestRows.isStorable(member)) {
      return false;
    }
    return jdbc.run("read a bundle's member", connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.isMember)) {
        select.setString(1, bundle);
        select.setString(2, member);
        try (ResultSet row = select.executeQuery()) {
          row.next();
          return row.getBoolean(1);
        }
      }
    });
  }

  /**
   * {@inheritDoc}
   *
   * @throws GovernanceStoreException if the database fails
   */
  @Override
  public long memberCount(String bundle) {
    Objects.requireNonNull(bundle, "bundle must not be null");
    if (!RequestRows.isStorable(bundle)) {
      return 0;
    }
    return jdbc.run("count a bundle's members", connection -> {
      try (PreparedStatement select = connection.prepareStatement(sql.memberCount)) {
        select.setString(1, bundle);
        try (ResultSet row = select.executeQuery()) {
          row.next();
          return row.getLong(1);
        }
      }
    });
  }

  /**
   * {@inheritDoc} Recording the same grant again changes nothing.
   *
   * @throws IllegalArgumentException naming the field, never quoting it, if a text cannot be
   *     stored as it is
   * @throws GovernanceStoreException if the database fails, or holds no bundle of that name
   */
  @Override
  public void recordGrant(String bundle, String member, String grantId) {
    Objects.requireNonNull(bundle, "bundle must not be null");
    Objects.requireNonNull(member, "member must not be null");
    Objects.requireNonNull(grantId, "grantId must not be null");
    RequestRows.storable(bundle, "bundle");
    RequestRows.storable(member, "member");
    RequestRows.storable(grantId, "grantId");
    jdbc.run("record a bundle's grant", connection -> {
      try (PreparedStatement insert = connection.prepareStatement(sql.recordGrant)) {
        insert.setString(1, bundle);
        insert.setString(2, member);
        insert.setString(3, grantId);
        return insert.executeUpdate();
      }
    });
  }

  /**
   * {@inheritDoc} Ordered by member, then grant id.
   *
   * @throws GovernanceStoreException if the database fails
   */
  @Override
  public List<String> grantsOf(String bundle, @Nullable String member) {
    Objects.requireNonNull(bundle, "bundle must not be null");
    if (!RequestRows.isStorable(bundle) || (member != null && !RequestRows.isStorable(member))) {
      return List.of();
    }
    return jdbc.run("list a bundle's grants", connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          member == null ? sql.grantsOfBundle : sql.grantsOfMember)) {
        select.setString(1, bundle);
        if (member != null) {
          select.setString(2, member);
        }
        List<String> ids = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            ids.add(rows.getString(1));
          }
        }
        return ids;
      }
    });
  }

  /** Builds a {@link PostgresBundleStore}. Not thread-safe. */
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
    public PostgresBundleStore build() {
      return new PostgresBundleStore(this);
    }
  }
}
