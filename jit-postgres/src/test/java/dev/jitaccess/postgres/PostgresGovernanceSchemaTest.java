package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.Scope;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.Approval;
import dev.jitaccess.governance.Bundle;
import dev.jitaccess.testkit.time.FakeClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PostgresGovernanceSchemaTest {
  private static List<Integer> versions(String schema, String table) throws SQLException {
    try (Connection c = TestDatabase.unpooled().getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(
            "SELECT version FROM \"" + schema + "\"." + table + " ORDER BY version")) {
      List<Integer> versions = new ArrayList<>();
      while (rows.next()) {
        versions.add(rows.getInt(1));
      }
      return versions;
    }
  }

  private static List<Integer> governanceVersions(String schema) throws SQLException {
    return versions(schema, "governance_schema_version");
  }

  private static PostgresGovernanceStore store(String schema) {
    return PostgresGovernanceStore.builder().dataSource(TestDatabase.dataSource()).schema(schema)
        .build();
  }

  private static PostgresBundleStore bundles(String schema) {
    return PostgresBundleStore.builder().dataSource(TestDatabase.dataSource()).schema(schema)
        .build();
  }

  private static PostgresRecertificationStore recertifications(String schema) {
    return PostgresRecertificationStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).build();
  }

  /**
   * A schema as {@code apply} of a library that knew only version 1 left it: the version table,
   * the script, and its row.
   */
  private static String versionOneSchema() {
    String schema = TestDatabase.newSchemaName();
    TestDatabase.execute("CREATE SCHEMA \"" + schema + "\"; CREATE TABLE \"" + schema
        + "\".governance_schema_version (version integer PRIMARY KEY, script text NOT NULL, "
        + "applied_at timestamptz NOT NULL DEFAULT clock_timestamp())");
    TestDatabase.execute(PostgresGovernanceSchema.sql(1, schema));
    TestDatabase.execute("INSERT INTO \"" + schema + "\".governance_schema_version (version, "
        + "script) VALUES (1, 'G1__governance.sql')");
    return schema;
  }

  @Test
  void anUpgradeFromVersionOneKeepsTheRequestsAndAddsBundlesAndRecertification()
      throws SQLException {
    String schema = versionOneSchema();
    AccessRequest r = request();
    store(schema).insert(r);
    assertEquals(List.of(1), governanceVersions(schema));
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    assertEquals(List.of(1, 2, 3, 4), governanceVersions(schema));
    assertEquals(r, store(schema).get(r.id()));
    assertEquals(List.of(r), store(schema).pending(10));
    Bundle b = PostgresBundleStoreTest.bundle("holiday");
    bundles(schema).insert(b);
    assertEquals(2, bundles(schema).addMembers("holiday", List.of("alice", "bob")));
    assertEquals(b, bundles(schema).get("holiday"));
    assertTrue(recertifications(schema).markLapsed("bundle:holiday", b.endsAt()));
  }

  @Test
  void anUpgradeFromVersionTwoKeepsTheRequestsAndAddsTheTeardownLedger() throws SQLException {
    String schema = versionOneSchema();
    TestDatabase.execute(PostgresGovernanceSchema.sql(2, schema));
    TestDatabase.execute("INSERT INTO \"" + schema + "\".governance_schema_version (version, "
        + "script) VALUES (2, 'G2__bundles_and_recertification.sql')");
    AccessRequest r = request();
    store(schema).insert(r);
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    assertEquals(List.of(1, 2, 3, 4), governanceVersions(schema));
    assertEquals(r, store(schema).get(r.id()));
    PostgresTeardownLedger ledger = PostgresTeardownLedger.builder()
        .dataSource(TestDatabase.dataSource()).schema(schema).build();
    assertEquals(List.of(), ledger.entriesOf("gr_unknown"));
  }

  @Test
  void aFailingUpgradeLeavesVersionOneAndItsRequests() throws SQLException {
    String schema = versionOneSchema();
    AccessRequest r = request();
    store(schema).insert(r);
    // A table in the way makes version 2 fail half way: the tables it created before go too.
    TestDatabase.execute("CREATE TABLE \"" + schema + "\".recertification_lapses (x int)");
    assertThrows(GovernanceStoreException.class,
        () -> PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema));
    assertEquals(List.of(1), governanceVersions(schema));
    assertEquals(r, store(schema).get(r.id()));
    GovernanceStoreException gone = assertThrows(GovernanceStoreException.class,
        () -> bundles(schema).get("holiday"));
    assertTrue(gone.getMessage().contains("relation \"" + schema + ".bundles\" does not exist"),
        gone.getMessage());
  }

  static AccessRequest request() {
    Instant now = FakeClock.DEFAULT_START;
    return AccessRequest.builder().id("req_" + UUID.randomUUID()).requester("alice")
        .subject("alice").owner("team-orders").task("incident-4711").purpose("read orders")
        .scope(Scope.parse("read:orders/*")).lifetime(Duration.ofMinutes(30)).tier("HIGH")
        .rule("on-call").justification("the orders service drops orders").createdAt(now)
        .expiresAt(now.plus(Duration.ofHours(1)))
        .approvals(List.of(new Approval("bob", null, now))).version(1).build();
  }

  @Test
  void applyCreatesTheTablesAndRecordsTheVersion() throws SQLException {
    String schema = TestDatabase.newSchemaName();
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    assertEquals(List.of(1, 2, 3, 4), governanceVersions(schema));
    assertNull(store(schema).get("req_x"), "the tables exist and are empty");
    assertEquals(List.of(), store(schema).pending(10));
    assertEquals(List.of(), bundles(schema).bundles());
    assertNull(recertifications(schema).latest("bundle:x"));
  }

  @Test
  void applyingTwiceChangesNothingAndKeepsTheRequests() throws SQLException {
    String schema = TestDatabase.newSchemaName();
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    AccessRequest r = request();
    store(schema).insert(r);
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    assertEquals(List.of(1, 2, 3, 4), governanceVersions(schema));
    assertEquals(r, store(schema).get(r.id()));
  }

  @Test
  void racingAppliesOfOneSchemaAllSucceedAndApplyTheScriptOnce() throws Exception {
    String schema = TestDatabase.newSchemaName();
    race(6, i -> PostgresGovernanceSchema.apply(TestDatabase.unpooled(), schema));
    assertEquals(List.of(1, 2, 3, 4), governanceVersions(schema));
  }

  @Test
  void grantAndGovernanceAppliesRacingOnOneNewSchemaAllSucceed() throws Exception {
    String schema = TestDatabase.newSchemaName();
    // Both create the schema: they take the same advisory lock, so they run one after the other.
    race(6, i -> {
      if (i % 2 == 0) {
        PostgresSchema.apply(TestDatabase.unpooled(), schema);
      } else {
        PostgresGovernanceSchema.apply(TestDatabase.unpooled(), schema);
      }
    });
    assertEquals(List.of(1, 2, 3, 4), governanceVersions(schema));
    assertEquals(List.of(1, 2, 3, 4, 5), versions(schema, "schema_version"));
  }

  /** Each replica's work, given its number. */
  private interface Work {
    void run(int replica) throws Exception;
  }

  private static void race(int replicas, Work work) throws Exception {
    CyclicBarrier start = new CyclicBarrier(replicas);
    ExecutorService pool = Executors.newFixedThreadPool(replicas);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (int i = 0; i < replicas; i++) {
        int replica = i;
        runs.add(pool.submit(() -> {
          start.await();
          // Each replica on its own connections, as separate processes would be.
          work.run(replica);
          return null;
        }));
      }
      for (Future<?> run : runs) {
        run.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void theGovernanceTablesShareTheGrantStoresSchemaAndKeepTheirOwnVersion() throws SQLException {
    String schema = TestDatabase.freshSchema();
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    FakeClock clock = new FakeClock();
    PostgresGrantStore grants = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).clock(clock).build();
    Grant grant = TestGrants.grant(clock);
    grants.insert(grant);
    AccessRequest r = request();
    store(schema).insert(r);
    assertEquals(grant, grants.get(grant.id()));
    assertEquals(r, store(schema).get(r.id()));
    assertEquals(List.of(1, 2, 3, 4, 5), versions(schema, "schema_version"));
    assertEquals(List.of(1, 2, 3, 4), governanceVersions(schema));
    assertEquals(schema, store(schema).schema());
  }

  @Test
  void theDefaultSchemaIsTheGrantStoresJitAccess() {
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), PostgresSchema.DEFAULT_NAME);
    PostgresGovernanceStore store = PostgresGovernanceStore.builder()
        .dataSource(TestDatabase.dataSource()).build();
    assertEquals("jit_access", store.schema());
    assertNull(store.get("req_" + UUID.randomUUID()));
  }

  @Test
  void malformedSchemaNamesAreRefusedNamingTheFieldAndTheRule() {
    for (String name : List.of("", "Governance", "1g", "jit-access", "g\"; DROP TABLE x; --",
        "x".repeat(64), "pg_governance", "${schema}")) {
      IllegalArgumentException apply = assertThrows(IllegalArgumentException.class,
          () -> PostgresGovernanceSchema.apply(TestDatabase.dataSource(), name), name);
      assertTrue(apply.getMessage().startsWith("schemaName must"), apply.getMessage());
      IllegalArgumentException sql = assertThrows(IllegalArgumentException.class,
          () -> PostgresGovernanceSchema.sql(1, name), name);
      assertTrue(sql.getMessage().startsWith("schemaName must"), sql.getMessage());
      IllegalArgumentException builder = assertThrows(IllegalArgumentException.class,
          () -> PostgresGovernanceStore.builder().schema(name), name);
      assertTrue(builder.getMessage().startsWith("schema must"), builder.getMessage());
    }
    assertThrows(NullPointerException.class,
        () -> PostgresGovernanceSchema.apply(TestDatabase.dataSource(), null));
    assertThrows(NullPointerException.class, () -> PostgresGovernanceStore.builder().build(),
        "a data source is required");
  }

  @Test
  void theScriptForFlywayOrLiquibaseHasTheNameFilledInAndQuoted() {
    String sql = PostgresGovernanceSchema.sql(1, "tenant_a");
    assertFalse(sql.contains(PostgresGovernanceSchema.PLACEHOLDER));
    assertTrue(sql.contains("CREATE TABLE \"tenant_a\".access_requests ("), sql);
    assertTrue(sql.contains("CREATE TABLE \"tenant_a\".access_request_approvals ("), sql);
    assertTrue(sql.contains("CREATE TABLE \"tenant_a\".access_request_rejections ("), sql);
    assertTrue(sql.contains("CREATE TABLE \"tenant_a\".break_glass_locks ("), sql);
    String v2 = PostgresGovernanceSchema.sql(2, "tenant_a");
    assertFalse(v2.contains(PostgresGovernanceSchema.PLACEHOLDER));
    for (String table : List.of("bundles", "bundle_members", "bundle_grants",
        "recertification_decisions", "recertification_lapses", "recertification_notices",
        "recertification_suspensions")) {
      assertTrue(v2.contains("CREATE TABLE \"tenant_a\"." + table + " ("), table);
    }
    assertTrue(v2.contains("REFERENCES \"tenant_a\".bundles (name)"), v2);
    assertThrows(IllegalArgumentException.class, () -> PostgresGovernanceSchema.sql(0, "g"));
    String v3 = PostgresGovernanceSchema.sql(3, "tenant_a");
    assertTrue(v3.contains("CREATE TABLE \"tenant_a\".teardown_entries ("), v3);
    assertTrue(v3.contains("CREATE INDEX teardown_entries_claimable ON \"tenant_a\""), v3);
    assertTrue(PostgresGovernanceSchema.sql(4, "g").contains(
        "ALTER TABLE \"g\".teardown_entries ADD COLUMN source"));
    assertThrows(IllegalArgumentException.class, () -> PostgresGovernanceSchema.sql(5, "g"));
    assertNotNull(PostgresGovernanceSchema.class.getResource("G1__governance.sql"),
        "the script ships in the jar under dev/jitaccess/postgres");
    assertNotNull(PostgresGovernanceSchema.class.getResource(
        "G2__bundles_and_recertification.sql"));
  }

  @Test
  void theScriptRunByAnotherToolMakesAWorkingStore() {
    String schema = TestDatabase.newSchemaName();
    TestDatabase.execute(PostgresGovernanceSchema.sql(1, schema));
    TestDatabase.execute(PostgresGovernanceSchema.sql(2, schema));
    AccessRequest r = request();
    store(schema).insert(r);
    assertEquals(r, store(schema).get(r.id()));
    Bundle b = PostgresBundleStoreTest.bundle("holiday");
    bundles(schema).insert(b);
    assertEquals(List.of(b), bundles(schema).bundles());
    assertTrue(recertifications(schema).markLapsed("bundle:holiday", b.startsAt()));
  }

  @Test
  void aSchemaNewerThanTheLibraryIsRefused() {
    String schema = TestDatabase.newSchemaName();
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    TestDatabase.execute("INSERT INTO \"" + schema
        + "\".governance_schema_version (version, script) VALUES (5, 'G5__future.sql')");
    GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
        () -> PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema));
    assertEquals("governance schema " + schema + " has version 5, newer than this library's 4: "
        + "upgrade jit-postgres", e.getMessage());
  }

  @Test
  void aFailingScriptLeavesNothingBehind() throws SQLException {
    String schema = TestDatabase.newSchemaName();
    // A table in the way makes the script fail half way: the version table and the tables
    // created before must all be rolled back with it.
    TestDatabase.execute("CREATE SCHEMA \"" + schema + "\"; CREATE TABLE \"" + schema
        + "\".break_glass_locks (x int)");
    GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
        () -> PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema));
    assertTrue(e.getMessage().startsWith(
        "PostgreSQL governance store could not apply the governance schema: "), e.getMessage());
    try (Connection c = TestDatabase.unpooled().getConnection();
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SELECT count(*) FROM information_schema.tables "
            + "WHERE table_schema = '" + schema + "'")) {
      row.next();
      assertEquals(1, row.getInt(1), "only the table that was there before");
    }
  }
}
