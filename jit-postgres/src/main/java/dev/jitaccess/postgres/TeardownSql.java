package dev.jitaccess.postgres;

/**
 * The statements of a {@link PostgresTeardownLedger} on one schema. The schema name is the only
 * text spliced in, checked and quoted; every value, grant ids first of all, is a bound parameter.
 */
final class TeardownSql {
  final String schema;

  /**
   * Inserts an entry unless one of its grant and downstream exists. Parameters: {@link
   * TeardownRows#bind}. Inserts one row, or none.
   */
  final String insert;

  /**
   * Replaces an entry if its stored version is the expected one. Parameters: {@link
   * TeardownRows#bind} of the next snapshot, then the grant id, the downstream and the expected
   * version. Updates one row, or none.
   */
  final String compareAndSet;

  /** Parameters: the grant id, the downstream. Returns the {@link TeardownRows#read} columns. */
  final String get;

  /** Parameters: the grant id. Returns the {@link TeardownRows#read} columns. */
  final String entriesOf;

  /**
   * Leases the claimable entries of one downstream, earliest first, skipping rows another
   * transaction holds: one statement. Parameters: owner, lease end (seconds, nanos), now
   * (seconds, nanos), downstream, now (seconds, nanos), limit. Returns the time each became
   * claimable (seconds, nanos), then the {@link TeardownRows#read} columns as stored.
   */
  final String claimDue;

  /**
   * Parameters: ended before (seconds, nanos), limit. Returns the {@link TeardownRows#read}
   * columns.
   */
  final String lingering;

  /** Parameters: updated before (seconds, nanos), limit. Deletes up to limit rows. */
  final String deleteSettled;

  TeardownSql(String schemaName) {
    this.schema = PostgresSchema.checkName(schemaName, "schema");
    String table = PostgresSchema.quote(schema) + ".teardown_entries";
    String columns = TeardownRows.readColumns("e");
    String values = TeardownRows.markers(TeardownRows.PARAMETERS);
    insert = "INSERT INTO " + table + " (" + TeardownRows.WRITE_COLUMNS + ") VALUES (" + values
        + ") ON CONFLICT (id, downstream) DO NOTHING";
    compareAndSet = "UPDATE " + table + " SET (" + TeardownRows.WRITE_COLUMNS + ") = ROW("
        + values + ") WHERE id = ? AND downstream = ? AND entry_version = ?";
    get = "SELECT " + columns + " FROM " + table + " e WHERE e.id = ? AND e.downstream = ?";
    entriesOf = "SELECT " + columns + " FROM " + table + " e WHERE e.id = ?";
    claimDue = "UPDATE " + table + " e SET lease_owner = ?, lease_until_s = ?, lease_until_n = ?, "
        + "updated_at_s = ?, updated_at_n = ?, entry_version = e.entry_version + 1 "
        + "FROM (SELECT id, downstream, claimable_s, claimable_n FROM " + table
        + " WHERE downstream = ? AND claimable_s IS NOT NULL AND (claimable_s, claimable_n) <= "
        + "(?, ?) ORDER BY claimable_s, claimable_n, id LIMIT ? FOR UPDATE SKIP LOCKED) picked "
        + "WHERE e.id = picked.id AND e.downstream = picked.downstream "
        + "RETURNING picked.claimable_s, picked.claimable_n, " + columns;
    lingering = "SELECT " + columns + " FROM " + table + " e WHERE e.due_at_s IS NOT NULL AND "
        + "e.teardown_state <> 'RETAINED' AND (e.ended_at_s, e.ended_at_n) <= (?, ?) ORDER BY e.ended_at_s, e.ended_at_n, e.id, "
        + "e.downstream LIMIT ?";
    deleteSettled = "DELETE FROM " + table + " WHERE (id, downstream) IN (SELECT id, downstream "
        + "FROM " + table + " WHERE due_at_s IS NULL AND (updated_at_s, updated_at_n) <= (?, ?) "
        + "ORDER BY updated_at_s, updated_at_n LIMIT ? FOR UPDATE SKIP LOCKED)";
  }
}
