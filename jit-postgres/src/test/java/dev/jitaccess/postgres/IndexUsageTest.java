package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** Every lookup of the store can be served by its index (with sequential scans ruled out). */
class IndexUsageTest {
  private final String schema = TestDatabase.freshSchema();
  private final GrantSql sql = new GrantSql(schema);

  /** The plan of {@code statement}, every parameter bound to {@code 1} or {@code "x"}. */
  private String plan(String statement, Object... parameters) throws SQLException {
    try (Connection c = TestDatabase.unpooled().getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("SET enable_seqscan = off");
      }
      try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + statement)) {
        for (int i = 0; i < parameters.length; i++) {
          explain.setObject(i + 1, parameters[i]);
        }
        StringBuilder plan = new StringBuilder();
        try (ResultSet rows = explain.executeQuery()) {
          while (rows.next()) {
            plan.append(rows.getString(1)).append('\n');
          }
        }
        return plan.toString();
      }
    }
  }

  /**
   * The generic plan of {@code statement} (the one PostgreSQL settles on for a statement a pooled
   * connection has prepared and run more than five times), with its parameters bound to {@code
   * parameters}: a sequential scan there makes a lookup slower as the table grows.
   */
  private String genericPlan(String statement, Object... parameters) throws SQLException {
    StringBuilder numbered = new StringBuilder();
    int n = 0;
    for (char ch : statement.toCharArray()) {
      if (ch == '?') {
        numbered.append('$').append(++n);
      } else {
        numbered.append(ch);
      }
    }
    try (Connection c = TestDatabase.unpooled().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET plan_cache_mode = force_generic_plan");
      s.execute("SET enable_seqscan = off");
      s.execute("PREPARE q AS " + numbered);
      StringBuilder arguments = new StringBuilder();
      for (Object parameter : parameters) {
        arguments.append(arguments.length() == 0 ? "" : ", ").append(parameter instanceof String
            ? "'" + parameter + "'" : String.valueOf(parameter));
      }
      StringBuilder plan = new StringBuilder();
      try (ResultSet rows = s.executeQuery("EXPLAIN EXECUTE q(" + arguments + ")")) {
        while (rows.next()) {
          plan.append(rows.getString(1)).append('\n');
        }
      }
      return plan.toString();
    }
  }

  private void assertUses(String index, String plan) {
    assertTrue(plan.contains(index), "expected " + index + " in\n" + plan);
  }

  @Test
  void lookupsUseTheirIndexes() throws SQLException {
    assertUses("grants_pk", plan(sql.get, "id", 0L, 0));
    assertUses("grants_reference", plan(sql.byReference, "gr_x", 0L, 0));
    assertUses("grants_subject", plan(sql.bySubject, "s", "s", 0L, 0));
    assertUses("grants_owner", plan(sql.byOwner, "o", "o", 0L, 0));
    assertUses("grants_task", plan(sql.byTask, "t", "t", 0L, 0));
    assertUses("grants_parent", plan(sql.byParent, "p", 0L, 0));
    assertUses("grants_active_by_expiry", plan(sql.activeFirst, 0L, 0, 10));
    assertUses("grants_active_by_expiry", plan(sql.activeAfter, 0L, 0, "id", 0L, 0, 10));
    assertUses("grants_retention", plan(sql.purge, 0L, 0, 10));
  }

  /**
   * Fills the table as a service with delegations would (5,000 ACTIVE grants, each fifth a child
   * of the one before, and 5,000 ended ones) and has PostgreSQL gather its statistics, so the
   * planner weighs real paths.
   */
  private void fill() {
    TestDatabase.execute("INSERT INTO \"" + schema + "\".grants (id, reference, subject, owner, "
        + "task, purpose, scope, issued_at_s, issued_at_n, expires_at_s, expires_at_n, "
        + "not_after_s, not_after_n, parent_id, uses_consumed, version, state, end_reason, "
        + "ended_at_s, ended_at_n) SELECT 'id' || i, 'gr_' || lpad(i::text, 16, '0'), 's' || i, "
        + "'o', 't' || i, 'p', 'read:x', 0, 0, 10 + i, 0, 10 + i, 0, "
        + "CASE WHEN i % 5 = 0 THEN 'id' || (i - 1) END, 0, 0, "
        + "CASE WHEN i > 5000 THEN 'REVOKED' ELSE 'ACTIVE' END, "
        + "CASE WHEN i > 5000 THEN 'MANUAL' END, CASE WHEN i > 5000 THEN 5 END, "
        + "CASE WHEN i > 5000 THEN 0 END FROM generate_series(1, 10000) i");
    TestDatabase.execute("INSERT INTO \"" + schema + "\".grant_changes (grant_id, version, "
        + "state, origin) SELECT id, version, state, 'o' FROM \"" + schema + "\".grants");
    TestDatabase.execute("ANALYZE \"" + schema + "\".grants");
    TestDatabase.execute("ANALYZE \"" + schema + "\".grant_changes");
  }

  /**
   * A pooled connection runs a statement it has prepared more than five times with a plan for
   * any parameters: each lookup of the cascade must reach its grants through the parent index
   * there too, or every revocation scans the table.
   */
  @Test
  void genericPlansOfTheCascadeReachChildrenThroughTheParentIndex() throws SQLException {
    fill();
    assertUses("grants_parent", genericPlan(sql.byParent, "id4", 0L, 0));
    System.out.println(genericPlan(sql.byParents, "{id4,id9}", 0L, 0)); System.out.println(genericPlan(sql.endChildren, "{id4,id9}", 0L, 0, 10, 10, 0L, 0, "EXPIRED", "REVOKED", 0L, 0, "EXPIRED", "PARENT_REVOKED", 0L, 0, "o", "c"));
    String endChildren = genericPlan(sql.endChildren, "{id4,id9}", 0L, 0, 10, 10, 0L, 0,
        "EXPIRED", "REVOKED", 0L, 0, "EXPIRED", "PARENT_REVOKED", 0L, 0, "o", "c");
    assertUses("grants_parent", endChildren);
    assertUses("grants_pk", endChildren);
  }

  @Test
  void genericPlansOfTheLookupsUseTheirIndexes() throws SQLException {
    fill();
    assertUses("grants_pk", genericPlan(sql.get, "id1", 0L, 0));
    assertUses("grants_reference", genericPlan(sql.byReference, "gr_x", 0L, 0));
    assertUses("grants_subject", genericPlan(sql.bySubject, "s1", "s1", 0L, 0));
    assertUses("grants_task", genericPlan(sql.byTask, "t1", "t1", 0L, 0));
    assertUses("grants_active_by_expiry", genericPlan(sql.activeFirst, 0L, 0, 10));
    assertUses("grants_ended", genericPlan(sql.endedSince, 0L, 0, 0L, 0, "", 0L, 0, 10));
  }

  /**
   * A follower polls the change log every few milliseconds while the table grows by every
   * change: its page and its held-back test read the index of committed changes, never the whole
   * log, and the page's grants come by their primary key. The log's purge finds its batch through
   * the index on when each change was written, and deletes it by primary key.
   */
  @Test
  void genericPlanOfAFollowersPollReadsTheIndexOfCommittedChanges() throws SQLException {
    fill();
    GrantChangeLog log = new GrantChangeLog(new Jdbc(TestDatabase.unpooled()), sql,
        () -> java.time.Instant.EPOCH);
    String poll = genericPlan(log.poll, 0L, 0, "5000", 9000L, 100);
    assertFalse(poll.contains("Seq Scan"), "no sequential scan in\n" + poll);
    assertUses("grant_changes_committed", poll);
    assertUses("grants_pk", poll);
    String purge = genericPlan(log.purge, 60, 1000);
    assertFalse(purge.contains("Seq Scan") || purge.contains("Merge"),
        "no scan of the whole log in\n" + purge);
    assertUses("grant_changes_changed_at", purge);
    assertUses("grant_changes_pk", purge);
  }
}
