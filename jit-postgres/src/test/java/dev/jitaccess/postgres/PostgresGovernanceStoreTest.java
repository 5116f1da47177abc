package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Approval;
import dev.jitaccess.governance.RequestState;
import dev.jitaccess.governance.spi.BreakGlassLock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the compatibility kit does not see: two store instances on one database, how failures are
 * reported, text PostgreSQL cannot hold, the deadline column and the indexes.
 */
class PostgresGovernanceStoreTest {
  private final String schema = TestDatabase.newSchemaName();
  private final PostgresGovernanceStore store;

  PostgresGovernanceStoreTest() {
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    store = storeOn(TestDatabase.dataSource());
  }

  private PostgresGovernanceStore storeOn(javax.sql.DataSource dataSource) {
    return PostgresGovernanceStore.builder().dataSource(dataSource).schema(schema).build();
  }

  private static AccessRequest approved(AccessRequest r, String approver) {
    return r.toBuilder().approvals(List.of(new Approval(approver, null, r.createdAt())))
        .state(RequestState.APPROVED).activateBy(r.createdAt().plusSeconds(600))
        .version(r.version() + 1).build();
  }

  /** Every message in the chain, and what each prints. */
  private static String everything(Throwable e) {
    StringBuilder all = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      all.append(t).append('\n');
      for (Throwable s : t.getSuppressed()) {
        all.append(s).append('\n');
      }
    }
    return all.toString();
  }

  @Test
  void aRequestInsertedThroughOneInstanceIsDecidedThroughAnother() {
    PostgresGovernanceStore replicaA = storeOn(new TestPool(TestDatabase.unpooled(), true));
    PostgresGovernanceStore replicaB = storeOn(new TestPool(TestDatabase.unpooled(), false));
    AccessRequest r = PostgresGovernanceSchemaTest.request();
    replicaA.insert(r);
    assertEquals(r, replicaB.get(r.id()));
    assertEquals(List.of(r), replicaB.pending(10));
    AccessRequest byB = approved(r, "carol");
    assertTrue(replicaB.compareAndSet(r, byB));
    assertEquals(byB, replicaA.get(r.id()), "a sees b's decision");
    assertFalse(replicaA.compareAndSet(r, approved(r, "dave")), "a's snapshot is stale");
    assertEquals(List.of(), replicaA.pending(10));
    assertEquals(List.of(byB), replicaA.due(byB.activateBy(), 10));
    BreakGlassLock lock = new BreakGlassLock("alice", "team-orders", r.id(), r.createdAt());
    assertTrue(replicaA.lock(lock));
    assertFalse(replicaB.lock(new BreakGlassLock("alice", "other", r.id(), r.createdAt())));
    assertEquals(Optional.of(lock), replicaB.lockOf("alice"));
    assertTrue(replicaB.unlock(lock));
    assertEquals(Optional.empty(), replicaA.lockOf("alice"));
  }

  @Test
  void textPostgresCannotHoldIsRefusedNamingTheFieldAndNothingIsStored() {
    AccessRequest loneSurrogate =
        PostgresGovernanceSchemaTest.request().toBuilder().purpose("half \uD83D").build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> store.insert(loneSurrogate));
    assertEquals("purpose must not hold NUL or an unpaired surrogate, which PostgreSQL cannot "
        + "store as they are", e.getMessage());
    assertNull(store.get(loneSurrogate.id()));
    AccessRequest r = PostgresGovernanceSchemaTest.request();
    store.insert(r);
    AccessRequest nul = r.toBuilder().approvals(List.of(new Approval("bob", "team\u0000",
        r.createdAt()))).version(r.version() + 1).build();
    IllegalArgumentException team = assertThrows(IllegalArgumentException.class,
        () -> store.compareAndSet(r, nul));
    assertTrue(team.getMessage().startsWith("approvals[].team must not hold NUL"),
        team.getMessage());
    assertEquals(r, store.get(r.id()), "unchanged");
    assertThrows(IllegalArgumentException.class, () -> store.lock(
        new BreakGlassLock("\uDC00", "owner", r.id(), r.createdAt())));
    assertNull(store.get("req\u0000"));
    assertEquals(Optional.empty(), store.lockOf("\uD800"));
    assertFalse(store.unlock(new BreakGlassLock("a\u0000", "owner", r.id(), r.createdAt())));
  }

  @Test
  void aDatabaseErrorIsAGovernanceStoreExceptionThatQuotesNoRow() {
    // A constraint the row breaks: PostgreSQL's detail quotes the failing row, grant id and all.
    TestDatabase.execute("ALTER TABLE \"" + schema + "\".access_requests ADD CONSTRAINT "
        + "no_grants CHECK (grant_id IS NULL)");
    AccessRequest r = PostgresGovernanceSchemaTest.request();
    store.insert(r);
    AccessRequest withApproval = approved(r, "carol");
    assertTrue(store.compareAndSet(r, withApproval));
    String grantId = "gr-secret-" + System.nanoTime();
    AccessRequest active = withApproval.toBuilder().state(RequestState.ACTIVE).grantId(grantId)
        .closedAt(r.createdAt().plusSeconds(60)).version(withApproval.version() + 1).build();
    GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
        () -> store.compareAndSet(withApproval, active));
    assertTrue(e.getMessage().startsWith("PostgreSQL governance store could not compare and set "
        + "an access request: ERROR: new row for relation \"access_requests\" violates check "
        + "constraint \"no_grants\""), e.getMessage());
    assertTrue(e.getMessage().endsWith("(SQLState 23514)"), e.getMessage());
    assertFalse(everything(e).contains(grantId), everything(e));
    assertEquals(withApproval, store.get(r.id()), "nothing of the failed change is left");
  }

  @Test
  void aMissingTableIsAGovernanceStoreException() {
    PostgresGovernanceStore nowhere = PostgresGovernanceStore.builder()
        .dataSource(new TestPool(TestDatabase.unpooled(), true)).schema("no_such_schema").build();
    GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
        () -> nowhere.get("req_1"));
    assertTrue(e.getMessage().startsWith("PostgreSQL governance store could not read an access "
        + "request: ERROR: relation \"no_such_schema.access_requests\" does not exist"),
        e.getMessage());
    assertThrows(GovernanceStoreException.class, () -> nowhere.lockOf("alice"));
    assertThrows(GovernanceStoreException.class,
        () -> nowhere.insert(PostgresGovernanceSchemaTest.request()));
  }

  @Test
  void aStoredRowThatIsNoValidRequestIsReportedWithoutItsGrantId() {
    AccessRequest r = PostgresGovernanceSchemaTest.request();
    store.insert(r);
    String grantId = "gr-secret-" + System.nanoTime();
    // Another writer makes the request ACTIVE with a grant but no close: not a valid request.
    TestDatabase.execute("UPDATE \"" + schema + "\".access_requests SET state = 'ACTIVE', "
        + "grant_id = '" + grantId + "' WHERE id = '" + r.id() + "'");
    GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
        () -> store.get(r.id()));
    assertEquals("a stored access request is not valid: closedAt must be set exactly in a final "
        + "state", e.getMessage());
    assertFalse(everything(e).contains(grantId), everything(e));
  }

  @Test
  void everyWriteRecordsTheRequestsDeadline() throws SQLException {
    AccessRequest r = PostgresGovernanceSchemaTest.request();
    store.insert(r);
    assertEquals(r.deadline(), storedDeadline(r.id()), "PENDING: its expiry");
    AccessRequest approved = approved(r, "carol");
    store.compareAndSet(r, approved);
    assertEquals(approved.activateBy(), storedDeadline(r.id()), "APPROVED: its window");
    AccessRequest active = approved.toBuilder().state(RequestState.ACTIVE).grantId("gr-1")
        .closedAt(r.createdAt()).version(approved.version() + 1).build();
    store.compareAndSet(approved, active);
    assertNull(storedDeadline(r.id()), "ACTIVE: none");
  }

  private Instant storedDeadline(String id) throws SQLException {
    try (Connection c = TestDatabase.unpooled().getConnection();
        PreparedStatement s = c.prepareStatement("SELECT deadline_s, deadline_n FROM \""
            + schema + "\".access_requests WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet row = s.executeQuery()) {
        row.next();
        long seconds = row.getLong(1);
        return row.wasNull() ? null : Instant.ofEpochSecond(seconds, row.getInt(2));
      }
    }
  }

  @Test
  void aNegativeLimitIsRefusedAndZeroFindsNothing() {
    AccessRequest r = PostgresGovernanceSchemaTest.request();
    store.insert(r);
    Instant late = r.expiresAt().plus(Duration.ofDays(1));
    assertEquals("limit must be >= 0, was -1", assertThrows(IllegalArgumentException.class,
        () -> store.due(late, -1)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> store.pending(-1));
    assertEquals(List.of(), store.due(late, 0));
    assertEquals(List.of(), store.pending(0));
    assertEquals(List.of(r), store.due(late, 1));
  }

  @Test
  void lookupsUseTheirIndexes() throws SQLException {
    GovernanceSql sql = new GovernanceSql(schema);
    assertUses("access_requests_pk", plan(sql.get, "req_1"));
    assertUses("access_requests_due", plan(sql.due, 0L, 0, 10));
    assertUses("access_requests_pending", plan(sql.pending, 10));
    assertUses("access_request_approvals_pk", plan(sql.get, "req_1"));
    assertUses("access_request_rejections_pk", plan(sql.get, "req_1"));
    assertUses("break_glass_locks_pk", plan(sql.lockOf, "alice"));
  }

  /** The plan of {@code statement} with sequential scans ruled out. */
  private static String plan(String statement, Object... parameters) throws SQLException {
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

  private static void assertUses(String index, String plan) {
    assertTrue(plan.contains(index), "expected " + index + " in\n" + plan);
  }
}
