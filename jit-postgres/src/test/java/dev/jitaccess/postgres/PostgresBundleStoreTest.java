package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Scope;
import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.BundleState;
import dev.jitaccess.testkit.time.FakeClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What the compatibility kit does not see: bulk member changes as one statement each, all or
 * nothing, under the bundle's row lock; the foreign keys; how failures are reported; text
 * PostgreSQL cannot hold; the indexes.
 */
class PostgresBundleStoreTest {
  private final String schema = TestDatabase.newSchemaName();
  private final PostgresBundleStore store;

  PostgresBundleStoreTest() {
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    store = storeOn(TestDatabase.dataSource());
  }

  private PostgresBundleStore storeOn(DataSource dataSource) {
    return PostgresBundleStore.builder().dataSource(dataSource).schema(schema).build();
  }

  static Bundle bundle(String name) {
    Instant now = FakeClock.DEFAULT_START;
    return new Bundle(name, "team-support", "lead-lee", Scope.parse("read:tickets/**"), "LOW",
        now, now.plus(Duration.ofDays(20)), now, BundleState.ACTIVE, null, 0);
  }

  private static List<String> members(int n) {
    List<String> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      members.add("seasonal-" + i);
    }
    return members;
  }

  /** Every message in the chain, and what each prints. */
  static String everything(Throwable e) {
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
  void aBulkAddOrRemoveOfAThousandMembersIsOneStatementAfterTheBundlesLock() {
    store.insert(bundle("holiday"));
    StatementCounter counter = new StatementCounter(TestDatabase.unpooled());
    PostgresBundleStore counted = storeOn(counter);
    assertEquals(1000, counted.addMembers("holiday", members(1000)));
    assertEquals(2, counter.prepared.size(), counter.prepared.toString());
    assertTrue(counter.prepared.get(0).endsWith("FOR NO KEY UPDATE"), counter.prepared.get(0));
    assertTrue(counter.prepared.get(1).startsWith("INSERT INTO \"" + schema
        + "\".bundle_members (bundle, member) SELECT ?, m FROM unnest(?::text[])"));
    counter.prepared.clear();
    assertEquals(members(1000), counted.removeMembers("holiday", members(1000)));
    assertEquals(2, counter.prepared.size(), counter.prepared.toString());
    assertTrue(counter.prepared.get(1).startsWith("DELETE FROM \"" + schema
        + "\".bundle_members WHERE bundle = ? AND member = ANY(?::text[]) RETURNING member"));
  }

  @Test
  void aBulkAddThatFailsAddsNoneOnEitherKindOfPool() {
    store.insert(bundle("holiday"));
    TestDatabase.execute("ALTER TABLE \"" + schema + "\".bundle_members ADD CONSTRAINT "
        + "no_poison CHECK (member <> 'poison')");
    List<String> members = members(999);
    members.add("poison");
    for (boolean autoCommit : new boolean[] {true, false}) {
      PostgresBundleStore through = storeOn(new TestPool(TestDatabase.unpooled(), autoCommit));
      GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
          () -> through.addMembers("holiday", members));
      assertTrue(e.getMessage().startsWith("PostgreSQL governance store could not add members "
          + "to a bundle: ERROR: new row for relation \"bundle_members\" violates check "
          + "constraint \"no_poison\""), e.getMessage());
      assertEquals(0, store.memberCount("holiday"), "auto-commit " + autoCommit);
    }
  }

  @Test
  void membersAndGrantsOfABundleItDoesNotHoldAreRefusedByTheForeignKeys() {
    GovernanceStoreException members = assertThrows(GovernanceStoreException.class,
        () -> store.addMembers("nowhere", List.of("alice")));
    assertTrue(members.getMessage().endsWith("(SQLState 23503)"), members.getMessage());
    String grantId = "gr-secret-" + TestGrants.newId();
    GovernanceStoreException grant = assertThrows(GovernanceStoreException.class,
        () -> store.recordGrant("nowhere", "alice", grantId));
    assertTrue(grant.getMessage().startsWith("PostgreSQL governance store could not record a "
        + "bundle's grant: ERROR: insert or update on table \"bundle_grants\" violates foreign "
        + "key constraint \"bundle_grants_bundle\""), grant.getMessage());
    assertFalse(everything(grant).contains(grantId), everything(grant));
    assertEquals(0, store.memberCount("nowhere"));
    assertEquals(List.of(), store.grantsOf("nowhere", null));
  }

  @Test
  void aDatabaseErrorIsAGovernanceStoreExceptionThatQuotesNoRowNorGrantId() {
    // A constraint the row breaks: PostgreSQL's detail quotes the failing row, grant id and all.
    TestDatabase.execute("ALTER TABLE \"" + schema + "\".bundle_grants ADD CONSTRAINT "
        + "no_grants CHECK (grant_id = '')");
    store.insert(bundle("holiday"));
    String grantId = "gr-secret-" + TestGrants.newId();
    GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
        () -> store.recordGrant("holiday", "alice", grantId));
    assertTrue(e.getMessage().startsWith("PostgreSQL governance store could not record a "
        + "bundle's grant: ERROR: new row for relation \"bundle_grants\" violates check "
        + "constraint \"no_grants\""), e.getMessage());
    assertTrue(e.getMessage().endsWith("(SQLState 23514)"), e.getMessage());
    assertFalse(everything(e).contains(grantId), everything(e));
    assertEquals(List.of(), store.grantsOf("holiday", null));
  }

  @Test
  void textPostgresCannotHoldIsRefusedNamingTheFieldNeverQuotingAGrantId() {
    Bundle lone = new Bundle("holiday", "half \uD83D", "lead-lee", Scope.parse("read:x"), "LOW",
        FakeClock.DEFAULT_START, FakeClock.DEFAULT_START.plusSeconds(1), FakeClock.DEFAULT_START,
        BundleState.ACTIVE, null, 0);
    assertEquals("owner must not hold NUL or an unpaired surrogate, which PostgreSQL cannot "
        + "store as they are", assertThrows(IllegalArgumentException.class,
            () -> store.insert(lone)).getMessage());
    assertNull(store.get("holiday"));
    store.insert(bundle("holiday"));
    IllegalArgumentException member = assertThrows(IllegalArgumentException.class,
        () -> store.addMembers("holiday", List.of("alice", "bob\u0000")));
    assertTrue(member.getMessage().startsWith("members[] must not hold NUL"), member.getMessage());
    assertEquals(0, store.memberCount("holiday"), "not even alice");
    String secret = TestGrants.newId();
    IllegalArgumentException grant = assertThrows(IllegalArgumentException.class,
        () -> store.recordGrant("holiday", "alice", secret + "\uDC00"));
    assertTrue(grant.getMessage().startsWith("grantId must not hold NUL"), grant.getMessage());
    assertFalse(everything(grant).contains(secret));
    assertNull(store.get("holiday\u0000"));
    assertFalse(store.isMember("holiday", "\uD800"));
    assertEquals(0, store.memberCount("\uD800"));
    assertEquals(List.of(), store.grantsOf("holiday", "a\u0000"));
    assertEquals(List.of(), store.removeMembers("holiday", List.of("a\u0000")));
  }

  @Test
  void aStoredRowThatIsNoValidBundleIsAGovernanceStoreException() {
    store.insert(bundle("holiday"));
    TestDatabase.execute("UPDATE \"" + schema + "\".bundles SET tier = ' ' WHERE name = "
        + "'holiday'");
    GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
        () -> store.get("holiday"));
    assertEquals("a stored bundle is not valid: tier must not be blank", e.getMessage());
    assertThrows(GovernanceStoreException.class, store::bundles);
  }

  @Test
  void aMissingTableIsAGovernanceStoreException() {
    PostgresBundleStore nowhere = PostgresBundleStore.builder()
        .dataSource(TestDatabase.dataSource()).schema("no_such_schema").build();
    GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
        () -> nowhere.get("holiday"));
    assertTrue(e.getMessage().startsWith("PostgreSQL governance store could not read a bundle: "
        + "ERROR: relation \"no_such_schema.bundles\" does not exist"), e.getMessage());
    assertThrows(GovernanceStoreException.class, () -> nowhere.isMember("holiday", "alice"));
    assertThrows(GovernanceStoreException.class, () -> nowhere.insert(bundle("holiday")));
  }

  @Test
  void whileAMemberChangeHoldsTheBundlesLockReadsAndGrantsGoOnAndMemberChangesWait()
      throws Exception {
    store.insert(bundle("holiday"));
    store.addMembers("holiday", List.of("alice"));
    try (Connection holder = TestDatabase.unpooled().getConnection()) {
      holder.setAutoCommit(false);
      try (Statement lock = holder.createStatement()) {
        lock.execute("SELECT 1 FROM \"" + schema + "\".bundles WHERE name = 'holiday' "
            + "FOR NO KEY UPDATE");
      }
      CompletableFuture<Integer> waiting =
          CompletableFuture.supplyAsync(() -> store.addMembers("holiday", List.of("bob")));
      awaitABackendWaitingForALock();
      assertTrue(store.isMember("holiday", "alice"));
      assertEquals(1, store.memberCount("holiday"));
      store.recordGrant("holiday", "alice", "gr-1");
      assertEquals(List.of("gr-1"), store.grantsOf("holiday", null));
      assertEquals(bundle("holiday"), store.get("holiday"));
      assertFalse(waiting.isDone(), "bob's addition waits for the lock");
      holder.commit();
      assertEquals(1, waiting.get(30, TimeUnit.SECONDS));
    }
    assertTrue(store.isMember("holiday", "bob"));
  }

  /** Waits until some backend waits for a lock, for at most 30 seconds. */
  private static void awaitABackendWaitingForALock() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try (Connection c = TestDatabase.unpooled().getConnection();
          Statement s = c.createStatement();
          ResultSet row = s.executeQuery("SELECT count(*) FROM pg_stat_activity "
              + "WHERE wait_event_type = 'Lock' AND query LIKE '%FOR NO KEY UPDATE'")) {
        row.next();
        if (row.getInt(1) > 0) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no member change came to wait for the bundle's lock");
  }

  @Test
  void lookupsUseTheirIndexes() throws SQLException {
    BundleSql sql = new BundleSql(schema);
    String[] members = {"alice", "bob"};
    assertUses("bundles_pk", plan(sql.get, "holiday"));
    assertUses("bundles_pk", plan(sql.lock, "holiday"));
    assertUses("bundles_pk", plan(sql.compareAndSet, withName(BundleRows.COLUMNS.size())));
    assertUses("bundle_members_pk", plan(sql.isMember, "holiday", "alice"));
    assertUses("bundle_members_pk", plan(sql.memberCount, "holiday"));
    assertUses("bundle_members_pk", plan(sql.removeMembers, "holiday", members));
    assertUses("bundle_grants_pk", plan(sql.grantsOfMember, "holiday", "alice"));
    assertUses("bundle_grants_pk", plan(sql.grantsOfBundle, "holiday"));
    assertUses("recertification_decisions_pk", plan(sql.latest, "bundle:holiday"));
    assertUses("recertification_suspensions_pk", plan(sql.isSuspended, "bundle:holiday"));
  }

  /** The parameters of a compare-and-set: a bundle's columns, its name, its version. */
  private static Object[] withName(int columns) {
    Bundle b = bundle("holiday");
    Object[] p = {b.name(), b.owner(), b.approvedBy(), b.scope().toString(), b.tier(),
        b.startsAt().getEpochSecond(), 0, b.endsAt().getEpochSecond(), 0,
        b.createdAt().getEpochSecond(), 0, "ACTIVE", null, null, 1L, "holiday", 0L};
    assertEquals(columns + 2, p.length);
    return p;
  }

  /** The plan of {@code statement} with sequential scans ruled out; arrays bound as text[]. */
  static String plan(String statement, Object... parameters) throws SQLException {
    try (Connection c = TestDatabase.unpooled().getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("SET enable_seqscan = off");
      }
      try (PreparedStatement explain = c.prepareStatement("EXPLAIN " + statement)) {
        for (int i = 0; i < parameters.length; i++) {
          if (parameters[i] instanceof String[]) {
            explain.setArray(i + 1, c.createArrayOf("text", (String[]) parameters[i]));
          } else {
            explain.setObject(i + 1, parameters[i]);
          }
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

  static void assertUses(String index, String plan) {
    assertTrue(plan.contains(index), "expected " + index + " in\n" + plan);
  }
}
