package dev.jitaccess.postgres;

import java.util.Collections;

/**
 * The statements of a {@link PostgresGovernanceStore} on one schema. The schema name is the only
 * text spliced in, checked and quoted; every value is a bound parameter.
 */
final class GovernanceSql {
  final String schema;

  /**
   * Inserts a request unless one with its id exists. Parameters: {@link RequestRows#bind}.
   * Updates one row, or none for a duplicate.
   */
  final String insert;

  /**
   * Replaces a request if its stored version is the expected one. Parameters: {@link
   * RequestRows#bind} of the next snapshot, then the id and the expected version. Updates one
   * row, or none.
   */
  final String compareAndSet;

  /** Deletes a request's approvals and rejections. Parameters: the id, twice. */
  final String deleteDecisions;

  /**
   * Writes a request's approvals and rejections, in order, numbered from 0. Parameters: the id,
   * then {@link RequestRows#bindDecisions}.
   */
  final String insertDecisions;

  /** Parameters: the id. Returns the {@link RequestRows#read} columns. */
  final String get;

  /** Parameters: now (seconds, nanos), limit. Returns the {@link RequestRows#read} columns. */
  final String due;

  /** Parameters: limit. Returns the {@link RequestRows#read} columns. */
  final String pending;

  /** Parameters: subject, owner, request id, lockedAt (seconds, nanos). Updates 1 row or 0. */
  final String lock;

  /** Parameters: subject. Returns subject, owner, request id, lockedAt (seconds, nanos). */
  final String lockOf;

  /** Parameters: subject, owner, request id, lockedAt (seconds, nanos). Deletes 1 row or 0. */
  final String unlock;

  GovernanceSql(String schemaName) {
    this.schema = PostgresSchema.checkName(schemaName, "schema");
    String quoted = PostgresSchema.quote(schema);
    String requests = quoted + ".access_requests";
    String approvals = quoted + ".access_request_approvals";
    String rejections = quoted + ".access_request_rejections";
    String locks = quoted + ".break_glass_locks";
    String columns = String.join(", ", RequestRows.COLUMNS);
    String values = String.join(", ", Collections.nCopies(RequestRows.COLUMNS.size(), "?"));
    this.insert = "INSERT INTO " + requests + " (" + columns + ") VALUES (" + values
        + ") ON CONFLICT (id) DO NOTHING";
    this.compareAndSet = "UPDATE " + requests + " SET (" + columns + ") = (" + values
        + ") WHERE id = ? AND version = ?";
    this.deleteDecisions = "WITH a AS (DELETE FROM " + approvals + " WHERE request_id = ?) "
        + "DELETE FROM " + rejections + " WHERE request_id = ?";
    this.insertDecisions = "WITH req AS (SELECT ?::text AS id), a AS (INSERT INTO " + approvals
        + " (request_id, ordinal, approver, team, at_s, at_n) SELECT req.id, d.n - 1, d.approver, "
        + "d.team, d.at_s, d.at_n FROM req, unnest(?::text[], ?::text[], ?::bigint[], "
        + "?::integer[]) WITH ORDINALITY AS d (approver, team, at_s, at_n, n)) INSERT INTO "
        + rejections + " (request_id, ordinal, approver, reason, at_s, at_n) SELECT req.id, "
        + "d.n - 1, d.approver, d.reason, d.at_s, d.at_n FROM req, unnest(?::text[], ?::text[], "
        + "?::bigint[], ?::integer[]) WITH ORDINALITY AS d (approver, reason, at_s, at_n, n)";
    StringBuilder read = new StringBuilder("SELECT ");
    for (String column : RequestRows.COLUMNS.subList(0, RequestRows.READ_COLUMNS)) {
      read.append("r.").append(column).append(", ");
    }
    read.append(decisions(approvals, "approver")).append(", ")
        .append(decisions(approvals, "team")).append(", ")
        .append(decisions(approvals, "at_s")).append(", ")
        .append(decisions(approvals, "at_n")).append(", ")
        .append(decisions(rejections, "approver")).append(", ")
        .append(decisions(rejections, "reason")).append(", ")
        .append(decisions(rejections, "at_s")).append(", ")
        .append(decisions(rejections, "at_n")).append(" FROM ").append(requests).append(" r ");
    this.get = read + "WHERE r.id = ?";
    this.due = read + "WHERE r.deadline_s IS NOT NULL AND (r.deadline_s, r.deadline_n) <= (?, ?) "
        + "ORDER BY r.deadline_s, r.deadline_n, r.id LIMIT ?";
    this.pending = read + "WHERE r.state = 'PENDING' "
        + "ORDER BY r.created_at_s, r.created_at_n, r.id LIMIT ?";
    this.lock = "INSERT INTO " + locks + " (subject, owner, request_id, locked_at_s, locked_at_n)"
        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (subject) DO NOTHING";
    this.lockOf = "SELECT subject, owner, request_id, locked_at_s, locked_at_n FROM " + locks
        + " WHERE subject = ?";
    this.unlock = "DELETE FROM " + locks + " WHERE subject = ? AND owner = ? AND request_id = ? "
        + "AND locked_at_s = ? AND locked_at_n = ?";
  }

  /**
   * One column of a request's approvals or rejections as an array, in order. In the statement
   * that reads the request, so from the same snapshot.
   */
  private static String decisions(String table, String column) {
    return "ARRAY(SELECT d." + column + " FROM " + table + " d WHERE d.request_id = r.id "
        + "ORDER BY d.ordinal)";
  }
}
