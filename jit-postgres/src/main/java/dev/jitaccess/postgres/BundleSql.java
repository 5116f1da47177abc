package dev.jitaccess.postgres;

import java.util.Collections;

/**
 * The statements of a {@link PostgresBundleStore} and a {@link PostgresRecertificationStore} on
 * one schema. The schema name is the only text spliced in, checked and quoted; every value is a
 * bound parameter.
 */
final class BundleSql {
  final String schema;

  /** Parameters: {@link BundleRows#bind}. Inserts one row, or none for a duplicate name. */
  final String insert;

  /**
   * Parameters: {@link BundleRows#bind} of the next snapshot, then the name and the expected
   * version. Updates one row, or none.
   */
  final String compareAndSet;

  /** Parameters: the name. Returns the {@link BundleRows#COLUMNS}. */
  final String get;

  /** Returns the {@link BundleRows#COLUMNS} of every bundle, in no order. */
  final String all;

  /** Parameters: the name. Locks the bundle's row against other member changes; 1 row or 0. */
  final String lock;

  /** Parameters: bundle, members (text[]). Inserts the members that are not members yet. */
  final String addMembers;

  /** Parameters: bundle, members (text[]). Returns the members it deleted, in no order. */
  final String removeMembers;

  /** Parameters: bundle, member. Returns one boolean. */
  final String isMember;

  /** Parameters: bundle. Returns one count. */
  final String memberCount;

  /** Parameters: bundle, member, grant id. Inserts one row, or none if it is there. */
  final String recordGrant;

  /** Parameters: bundle, member. Returns grant ids. */
  final String grantsOfMember;

  /** Parameters: bundle. Returns grant ids. */
  final String grantsOfBundle;

  /** Parameters: item. Returns item, reviewer, keep, note, at (seconds, nanos). */
  final String latest;

  /**
   * Parameters: item (of the suspension to clear), then item, reviewer, keep, note, at (seconds,
   * nanos). Replaces the item's decision and deletes its suspension, in one statement.
   */
  final String record;

  /** Parameters: item, due (seconds, nanos). Inserts one row, or none if it is there. */
  final String markLapsed;

  /** Parameters: item, due (seconds, nanos). Inserts one row, or none if it is there. */
  final String markNoticed;

  /** Parameters: item. Inserts one row, or none if it is there. */
  final String suspend;

  /** Parameters: item. Returns one boolean. */
  final String isSuspended;

  BundleSql(String schemaName) {
    this.schema = PostgresSchema.checkName(schemaName, "schema");
    String quoted = PostgresSchema.quote(schema);
    String bundles = quoted + ".bundles";
    String members = quoted + ".bundle_members";
    String grants = quoted + ".bundle_grants";
    String columns = String.join(", ", BundleRows.COLUMNS);
    String values = String.join(", ", Collections.nCopies(BundleRows.COLUMNS.size(), "?"));
    this.insert = "INSERT INTO " + bundles + " (" + columns + ") VALUES (" + values
        + ") ON CONFLICT (name) DO NOTHING";
    this.compareAndSet = "UPDATE " + bundles + " SET (" + columns + ") = (" + values
        + ") WHERE name = ? AND version = ?";
    this.get = "SELECT " + columns + " FROM " + bundles + " WHERE name = ?";
    this.all = "SELECT " + columns + " FROM " + bundles;
    this.lock = "SELECT 1 FROM " + bundles + " WHERE name = ? FOR NO KEY UPDATE";
    this.addMembers = "INSERT INTO " + members + " (bundle, member) SELECT ?, m FROM "
        + "unnest(?::text[]) AS m ON CONFLICT (bundle, member) DO NOTHING";
    this.removeMembers = "DELETE FROM " + members + " WHERE bundle = ? AND member = ANY(?::text[])"
        + " RETURNING member";
    this.isMember = "SELECT EXISTS (SELECT 1 FROM " + members
        + " WHERE bundle = ? AND member = ?)";
    this.memberCount = "SELECT count(*) FROM " + members + " WHERE bundle = ?";
    this.recordGrant = "INSERT INTO " + grants + " (bundle, member, grant_id) VALUES (?, ?, ?) "
        + "ON CONFLICT (bundle, member, grant_id) DO NOTHING";
    this.grantsOfMember = "SELECT grant_id FROM " + grants
        + " WHERE bundle = ? AND member = ? ORDER BY grant_id";
    this.grantsOfBundle = "SELECT grant_id FROM " + grants
        + " WHERE bundle = ? ORDER BY member, grant_id";
    String decisions = quoted + ".recertification_decisions";
    String suspensions = quoted + ".recertification_suspensions";
    this.latest = "SELECT item, reviewer, keep, note, at_s, at_n FROM " + decisions
        + " WHERE item = ?";
    this.record = "WITH cleared AS (DELETE FROM " + suspensions + " WHERE item = ?) "
        + "INSERT INTO " + decisions + " (item, reviewer, keep, note, at_s, at_n) "
        + "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (item) DO UPDATE SET "
        + "reviewer = EXCLUDED.reviewer, keep = EXCLUDED.keep, note = EXCLUDED.note, "
        + "at_s = EXCLUDED.at_s, at_n = EXCLUDED.at_n";
    this.markLapsed = mark(quoted + ".recertification_lapses");
    this.markNoticed = mark(quoted + ".recertification_notices");
    this.suspend = "INSERT INTO " + suspensions + " (item) VALUES (?) ON CONFLICT (item) "
        + "DO NOTHING";
    this.isSuspended = "SELECT EXISTS (SELECT 1 FROM " + suspensions + " WHERE item = ?)";
  }

  private static String mark(String table) {
    return "INSERT INTO " + table + " (item, due_s, due_n) VALUES (?, ?, ?) "
        + "ON CONFLICT (item, due_s, due_n) DO NOTHING";
  }
}
