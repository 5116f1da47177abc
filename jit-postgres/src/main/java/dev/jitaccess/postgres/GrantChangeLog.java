package dev.jitaccess.postgres;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The change log of a {@link PostgresGrantStore}'s schema: what replicas follow to learn, soon
 * after, of grants another replica inserted or changed (a revocation, say), without reading
 * every grant again.
 *
 * <p>Every insert and every successful compare-and-set appends one row to {@code
 * <schema>.grant_changes} (revision, transaction, grant id, version, state, time on the
 * database's clock) and sends {@code NOTIFY "<schema>", '<revision>'}, in the statement, and so
 * the transaction, that writes the grant: no change without its row, no row without its change.
 * The notification carries the revision only, never the grant: it is a prompt to read the log,
 * and is lost if nobody listens (a follower that reconnects reads the log from its position). A
 * failed compare-and-set, a duplicate insert and a failed statement append nothing.
 *
 * <h2>Out-of-order commits</h2>
 *
 * <p>A revision is allocated when the row is written, not when its transaction commits. Two
 * writers may take revisions 6 and 7 and commit 7 first: a reader of {@code revision > 5} then
 * sees 7 and not 6, and, if it moves its cursor to 7, never sees 6. So {@link #changesAfter}, a
 * plain read by revision, is for diagnostics and tests, not for following.
 *
 * <p>{@link #committedChangesAfter} is for following. Each row records its transaction's {@code
 * pg_current_xact_id()}. Every transaction with an id below {@code
 * pg_snapshot_xmin(pg_current_snapshot())}, the oldest still running, has ended, so the set of
 * changes from those transactions is final: none can appear later. That method returns only such
 * changes, ordered by {@code (transactionId, revision)}, and its cursor is a {@link
 * ChangePosition} in that order, so a follower that keeps the position of the last change it
 * applied misses none and reads none twice. (This is the principle of SpiceDB's PostgreSQL watch,
 * which compares transaction ids with snapshots.) The price: a change waits until every
 * transaction older than it has ended, anywhere in the PostgreSQL cluster, so one long
 * transaction holds every follower back; measure the lag with {@link #databaseTime()} against
 * {@link GrantChange#changedAt()}.
 *
 * <p>To start, a follower takes {@link #horizon()}, then reads every grant it needs, then follows
 * from that position: the changes it reads again are idempotent by version.
 *
 * <p>Keep the log bounded with {@link #purgeOlderThan}; a follower whose position is older than
 * the oldest change kept must read the grants afresh.
 *
 * <p>Thread-safe. Failures throw {@link GrantStoreException}, whose messages hold no grant id.
 */
public final class GrantChangeLog {
  /** How many changes {@link #purgeOlderThan} deletes per statement. */
  static final int PURGE_BATCH = 1000;

  private final Jdbc jdbc;
  private final String channel;
  private final Supplier<Instant> cutoff;
  private final String changesAfter;
  private final String committedAfter;
  final String purge;
  /** {@link #committedChangesAfter}'s order. */
  private static final Comparator<GrantChange> IN_ORDER =
      Comparator.comparingLong(GrantChange::transactionId).thenComparingLong(GrantChange::revision);

  /** A follower's poll: {@link #committedAfter}'s parameters, one statement. */
  final String poll;

  GrantChangeLog(Jdbc jdbc, GrantSql sql, Supplier<Instant> cutoff) {
    this.jdbc = jdbc;
    this.channel = sql.schema;
    this.cutoff = cutoff;
    // Parameters: the retention cutoff (for the grant as stored now), then the query's.
    String select = "SELECT c.revision, c.transaction_id::text, c.grant_id, c.version, c.state, "
        + "c.changed_at, c.origin, " + GrantRows.columns("g") + " FROM " + sql.changes + " c LEFT JOIN "
        + sql.grants + " g ON g.id = c.grant_id "
        + "AND (g.retained_from_s, g.retained_from_n) > (?, ?) WHERE ";
    this.changesAfter = select + "c.revision > ? ORDER BY c.revision LIMIT ?";
    this.committedAfter = select + "(c.transaction_id, c.revision) > (?::text::xid8, ?) "
        + "AND c.transaction_id < pg_snapshot_xmin(pg_current_snapshot()) "
        + "ORDER BY c.transaction_id, c.revision LIMIT ?";
    String heldBack = "EXISTS (SELECT 1 FROM " + sql.changes + " WHERE transaction_id "
        + ">= pg_snapshot_xmin(pg_current_snapshot()))";
    this.poll = "SELECT now(), " + heldBack + ", page.* FROM (SELECT 1) AS one LEFT JOIN ("
        + committedAfter + ") AS page ON true";
    // statement_timestamp(), not clock_timestamp(): only a stable cutoff can bound a scan of the
    // index on changed_at; the rows are then deleted through the primary key, one by one.
    this.purge = "DELETE FROM " + sql.changes + " WHERE revision = ANY(ARRAY(SELECT revision FROM "
        + sql.changes + " WHERE changed_at < statement_timestamp() - make_interval(secs => ?) "
        + "ORDER BY changed_at LIMIT ?))";
  }

  /**
   * The channel every change is announced on: the schema name. {@code LISTEN} to it (the name
   * needs no quoting); each notification's payload is a revision in decimal.
   */
  public String channel() {
    return channel;
  }

  /**
   * Up to {@code limit} changes with a revision above {@code revision}, in revision order, as
   * committed now. Not for following: a change with a lower revision may still commit after a
   * higher one was read (see the class documentation); use {@link #committedChangesAfter}.
   *
   * @param revision the revision to read after; 0 for the first
   * @param limit the most changes to return, {@code > 0}
   * @throws GrantStoreException if the database fails
   */
  public List<GrantChange> changesAfter(long revision, int limit) {
    checkLimit(limit);
    return read("read the change log", changesAfter, statement -> {
      statement.setLong(3, revision);
      statement.setInt(4, limit);
    });
  }

  /**
   * Up to {@code limit} changes after {@code position} in {@code (transactionId, revision)} order,
   * from transactions older than every transaction still running: changes that are final, so
   * that none can later appear before the last one returned. An empty list means none is final
   * yet; ask again later (or when notified).
   *
   * @param position the position of the last change read, or {@link ChangePosition#START}
   * @param limit the most changes to return, {@code > 0}
   * @throws GrantStoreException if the database fails
   */
  public List<GrantChange> committedChangesAfter(ChangePosition position, int limit) {
    Objects.requireNonNull(position, "position must not be null");
    checkLimit(limit);
    return read("read the committed changes", committedAfter, statement -> {
      statement.setString(3, Long.toString(position.transactionId()));
      statement.setLong(4, position.revision());
      statement.setInt(5, limit);
    });
  }

  /**
   * The position before every change not yet final: every change of a transaction that has
   * ended is at or before it. Where a follower starts, before it reads the grants themselves.
   *
   * @throws GrantStoreException if the database fails
   */
  public ChangePosition horizon() {
    return jdbc.run("read the change horizon", GrantChangeLog::horizon);
  }

  /** {@link #horizon()} on {@code connection}. */
  static ChangePosition horizon(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text")) {
      row.next();
      return new ChangePosition(Long.parseLong(row.getString(1)), 0);
    }
  }

  /**
   * What a follower reads in one poll, in one snapshot.
   *
   * @param changes the final changes after the position, at most the limit
   * @param databaseTime the start of the poll's transaction on the database's clock: every
   *     change committed before it is visible in the snapshot
   * @param full whether the page was full, so more final changes may follow
   * @param heldBack whether the snapshot holds committed changes that are not final yet (an
   *     older transaction is still running), which a later poll will return
   */
  record Page(List<GrantChange> changes, Instant databaseTime, boolean full, boolean heldBack) {
    /** Whether every change committed before {@link #databaseTime} is in this page or before. */
    boolean complete() {
      return !full && !heldBack;
    }
  }

  /**
   * One poll of a follower on its own {@code connection}, in auto-commit: one statement, so one
   * snapshot and one round trip, that returns the poll's start on the database's clock, whether
   * committed changes are held back, and the final changes after {@code position}.
   */
  Page poll(Connection connection, ChangePosition position, int limit) throws SQLException {
    Instant retainedAfter = cutoff.get();
    try (PreparedStatement statement = connection.prepareStatement(poll)) {
      GrantRows.bindInstant(statement, 1, retainedAfter);
      statement.setString(3, Long.toString(position.transactionId()));
      statement.setLong(4, position.revision());
      statement.setInt(5, limit);
      Instant databaseTime = null;
      boolean held = false;
      List<GrantChange> changes = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          databaseTime = rows.getObject(1, OffsetDateTime.class).toInstant();
          held = rows.getBoolean(2);
          if (rows.getString(3 + 2) != null) { // the change's grant id: null on the row of none
            changes.add(change(rows, 3));
          }
        }
      }
      if (databaseTime == null) {
        throw new SQLException("a poll of the change log returned no row");
      }
      // The page holds the first changes in this order; the join need not return them in it.
      changes.sort(IN_ORDER);
      return new Page(changes, databaseTime, changes.size() == limit, held);
    }
  }

  /**
   * Now on the database's clock ({@code clock_timestamp()}, microseconds): what a follower
   * compares {@link GrantChange#changedAt()} with to measure its lag, on one clock.
   *
   * @throws GrantStoreException if the database fails
   */
  public Instant databaseTime() {
    return jdbc.run("read the database time", connection -> {
      try (Statement statement = connection.createStatement();
          ResultSet row = statement.executeQuery("SELECT clock_timestamp()")) {
        row.next();
        return row.getObject(1, OffsetDateTime.class).toInstant();
      }
    });
  }

  /**
   * Deletes the changes written more than {@code age} ago on the database's clock, {@value
   * #PURGE_BATCH} per transaction, until none is left. One replica at a time: each batch takes a
   * transaction-level advisory lock ({@code pg_try_advisory_xact_lock}) on the schema's log
   * purge, and a replica that finds it taken stops, since another is purging. A follower whose
   * position is older than {@code age} misses the changes deleted, so keep {@code age} longer
   * than any follower stays disconnected.
   *
   * @return how many changes it deleted
   * @throws IllegalArgumentException if {@code age} is negative
   * @throws GrantStoreException if the database fails (the batches before stay deleted)
   */
  public long purgeOlderThan(Duration age) {
    Objects.requireNonNull(age, "age must not be null");
    if (age.isNegative()) {
      throw new IllegalArgumentException("age must be >= 0, was " + age);
    }
    double seconds = age.getSeconds() + age.getNano() / 1e9;
    long total = 0;
    while (true) {
      int deleted = jdbc.transaction("purge the change log", connection -> {
        if (!ReplicaLock.tryLock(connection, channel, "purge-changes")) {
          return -1;
        }
        try (PreparedStatement statement = connection.prepareStatement(purge)) {
          statement.setDouble(1, seconds);
          statement.setInt(2, PURGE_BATCH);
          return statement.executeUpdate();
        }
      });
      if (deleted < 0) {
        return total; // another replica is purging
      }
      total += deleted;
      if (deleted < PURGE_BATCH) {
        return total;
      }
    }
  }

  private static void checkLimit(int limit) {
    if (limit <= 0) {
      throw new IllegalArgumentException("limit must be > 0, was " + limit);
    }
  }

  /** Binds a query's parameters after the cutoff. */
  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private List<GrantChange> read(String operation, String query, Binder binder) {
    return jdbc.run(operation, connection -> read(connection, query, binder));
  }

  private List<GrantChange> read(Connection connection, String query, Binder binder)
      throws SQLException {
    Instant retainedAfter = cutoff.get();
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      GrantRows.bindInstant(statement, 1, retainedAfter);
      binder.bind(statement);
      List<GrantChange> changes = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          changes.add(change(rows));
        }
      }
      return changes;
    }
  }

  private static GrantChange change(ResultSet row) throws SQLException {
    return change(row, 1);
  }

  /** The change in the columns of {@code select} from {@code first} on. */
  private static GrantChange change(ResultSet row, int first) throws SQLException {
    int i = first;
    long revision = row.getLong(i++);
    long transactionId = Long.parseLong(row.getString(i++));
    String grantId = row.getString(i++);
    long version = row.getLong(i++);
    GrantState state = GrantState.valueOf(row.getString(i++));
    Instant changedAt = row.getObject(i++, OffsetDateTime.class).toInstant();
    String origin = row.getString(i++);
    Grant grant = row.getString(i) == null ? null : GrantRows.read(row, i);
    return new GrantChange(revision, transactionId, grantId, version, state, changedAt, origin,
        grant);
  }
}
