package dev.jitaccess.postgres;

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
}
