package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.testkit.time.FakeClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PostgresSchemaTest {
  private static List<Integer> versions(String schema) throws SQLException {
    try (Connection c = TestDatabase.unpooled().getConnection();
        Statement s = c.createStatement();
        ResultSet rows = s.executeQuery(
            "SELECT version FROM \"" + schema + "\".schema_version ORDER BY version")) {
      List<Integer> versions = new ArrayList<>();
      while (rows.next()) {
        versions.add(rows.getInt(1));
      }
      return versions;
    }
  }

  @Test
  void applyCreatesTheTablesAndRecordsTheVersion() throws SQLException {
    String schema = TestDatabase.newSchemaName();
    PostgresSchema.apply(TestDatabase.dataSource(), schema);
    assertEquals(List.of(1, 2, 3, 4, 5), versions(schema));
    PostgresGrantStore store = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).build();
    assertNull(store.get(TestGrants.newId()), "the tables exist and are empty");
  }

  @Test
  void applyingTwiceChangesNothingAndKeepsTheGrants() throws SQLException {
    String schema = TestDatabase.newSchemaName();
    PostgresSchema.apply(TestDatabase.dataSource(), schema);
    FakeClock clock = new FakeClock();
    PostgresGrantStore store = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).clock(clock).build();
    Grant grant = TestGrants.grant(clock);
    store.insert(grant);
    PostgresSchema.apply(TestDatabase.dataSource(), schema);
    assertEquals(List.of(1, 2, 3, 4, 5), versions(schema));
    assertEquals(grant, store.get(grant.id()));
  }

  @Test
  void racingAppliesOfOneSchemaAllSucceedAndApplyTheScriptOnce() throws Exception {
    String schema = TestDatabase.newSchemaName();
    int replicas = 6;
    CyclicBarrier start = new CyclicBarrier(replicas);
    ExecutorService pool = Executors.newFixedThreadPool(replicas);
    try {
      List<Future<?>> applies = new ArrayList<>();
      for (int i = 0; i < replicas; i++) {
        applies.add(pool.submit(() -> {
          start.await();
          // Each replica on its own connections, as separate processes would be.
          PostgresSchema.apply(TestDatabase.unpooled(), schema);
          return null;
        }));
      }
      for (Future<?> apply : applies) {
        apply.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(1, 2, 3, 4, 5), versions(schema));
  }

  @Test
  void storesInTwoSchemasAreKeptApart() {
    String a = TestDatabase.freshSchema();
    String b = TestDatabase.freshSchema();
    FakeClock clock = new FakeClock();
    PostgresGrantStore storeA = PostgresGrantStore.builder()
        .dataSource(TestDatabase.dataSource()).schema(a).clock(clock).build();
    PostgresGrantStore storeB = PostgresGrantStore.builder()
        .dataSource(TestDatabase.dataSource()).schema(b).clock(clock).build();
    Grant grant = TestGrants.grant(clock);
    storeA.insert(grant);
    assertEquals(grant, storeA.get(grant.id()));
    assertNull(storeB.get(grant.id()));
    assertEquals(a, storeA.schema());
    assertEquals(a, storeA.changeLog().channel());
  }

  @Test
  void theDefaultSchemaIsJitAccess() {
    PostgresSchema.apply(TestDatabase.dataSource(), PostgresSchema.DEFAULT_NAME);
    PostgresGrantStore store = PostgresGrantStore.builder()
        .dataSource(TestDatabase.dataSource()).build();
    assertEquals("jit_access", store.schema());
    assertNull(store.get(TestGrants.newId()));
  }

  @Test
  void malformedSchemaNamesAreRefusedNamingTheFieldAndTheRule() {
    List<String> malformed = List.of("", "Grants", "1grants", "jit-access", "jit access",
        "jit\"access", "a\"; DROP TABLE x; --", "x".repeat(64), "pg_grants", "grants\u00e9",
        "grants.public", "${schema}");
    for (String name : malformed) {
      IllegalArgumentException apply = assertThrows(IllegalArgumentException.class,
          () -> PostgresSchema.apply(TestDatabase.dataSource(), name), name);
      assertTrue(apply.getMessage().startsWith("schemaName must"), apply.getMessage());
      IllegalArgumentException builder = assertThrows(IllegalArgumentException.class,
          () -> PostgresGrantStore.builder().schema(name), name);
      assertTrue(builder.getMessage().startsWith("schema must"), builder.getMessage());
    }
    IllegalArgumentException rule = assertThrows(IllegalArgumentException.class,
        () -> PostgresSchema.checkName("Grants", "schema"));
    assertEquals("schema must be a plain SQL identifier [a-z_][a-z0-9_]{0,62}, was 'Grants'",
        rule.getMessage());
    assertThrows(NullPointerException.class,
        () -> PostgresSchema.apply(TestDatabase.dataSource(), null));
    assertEquals("x".repeat(63), PostgresSchema.checkName("x".repeat(63), "schema"));
    assertEquals("_x9", PostgresSchema.checkName("_x9", "schema"));
  }

  @Test
  void theScriptForFlywayOrLiquibaseHasTheNameFilledInAndQuoted() {
    String sql = PostgresSchema.sql(1, "tenant_a");
    assertFalse(sql.contains(PostgresSchema.PLACEHOLDER));
    assertTrue(sql.contains("CREATE TABLE \"tenant_a\".grants ("), sql);
    assertTrue(sql.contains("CREATE TABLE \"tenant_a\".grant_changes ("), sql);
    assertTrue(PostgresSchema.sql(2, "tenant_a").contains(
        "ALTER TABLE \"tenant_a\".grant_changes ADD COLUMN origin"));
    assertTrue(PostgresSchema.sql(3, "tenant_a").contains(
        "ALTER TABLE \"tenant_a\".grants ADD COLUMN request_id"));
    assertTrue(PostgresSchema.sql(4, "tenant_a").contains(
        "ALTER TABLE \"tenant_a\".grants ADD COLUMN source"));
    assertTrue(PostgresSchema.sql(5, "tenant_a").contains(
        "CREATE INDEX grants_ended ON \"tenant_a\".grants (ended_at_s, ended_at_n, id)"));
    assertThrows(IllegalArgumentException.class, () -> PostgresSchema.sql(6, "tenant_a"));
    assertThrows(IllegalArgumentException.class, () -> PostgresSchema.sql(0, "tenant_a"));
    assertNotNull(PostgresSchema.class.getResource("V1__grants.sql"),
        "the script ships in the jar under dev/jitaccess/postgres");
  }

  @Test
  void theScriptRunByAnotherToolMakesAWorkingStore() {
    String schema = TestDatabase.newSchemaName();
    TestDatabase.execute(PostgresSchema.sql(1, schema));
    TestDatabase.execute(PostgresSchema.sql(2, schema));
    TestDatabase.execute(PostgresSchema.sql(3, schema));
    TestDatabase.execute(PostgresSchema.sql(4, schema));
    TestDatabase.execute(PostgresSchema.sql(5, schema));
    FakeClock clock = new FakeClock();
    PostgresGrantStore store = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).clock(clock).build();
    Grant grant = TestGrants.grant(clock).toBuilder().tier("HIGH").requestId("req-1")
        .source("10.0.0.7").build();
    store.insert(grant);
    assertEquals(grant, store.get(grant.id()));
  }

  @Test
  void aSchemaNewerThanTheLibraryIsRefused() {
    String schema = TestDatabase.freshSchema();
    TestDatabase.execute("INSERT INTO \"" + schema
        + "\".schema_version (version, script) VALUES (6, 'V6__future.sql')");
    GrantStoreException e = assertThrows(GrantStoreException.class,
        () -> PostgresSchema.apply(TestDatabase.dataSource(), schema));
    assertEquals("schema " + schema + " has version 6, newer than this library's 5: upgrade "
        + "jit-postgres", e.getMessage());
  }

  @Test
  void aSchemaOfVersionOneIsUpgradedKeepingItsGrantsAndChanges() throws SQLException {
    String schema = TestDatabase.newSchemaName();
    TestDatabase.execute(PostgresSchema.sql(1, schema));
    TestDatabase.execute("CREATE TABLE \"" + schema + "\".schema_version (version integer "
        + "PRIMARY KEY, script text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()); "
        + "INSERT INTO \"" + schema + "\".schema_version VALUES (1, 'V1__grants.sql')");
    TestDatabase.execute("INSERT INTO \"" + schema + "\".grant_changes (grant_id, version, "
        + "state) VALUES ('old', 0, 'ACTIVE')");
    PostgresSchema.apply(TestDatabase.dataSource(), schema);
    assertEquals(List.of(1, 2, 3, 4, 5), versions(schema));
    FakeClock clock = new FakeClock();
    PostgresGrantStore store = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).clock(clock).build();
    Grant grant = TestGrants.grant(clock);
    store.insert(grant);
    List<GrantChange> changes = store.changeLog().changesAfter(0, 10);
    assertEquals(2, changes.size());
    assertNull(changes.get(0).origin(), "a change from before version 2 has no origin");
    assertEquals(store.origin(), changes.get(1).origin());
  }

  @Test
  void aFailingScriptLeavesNothingBehind() throws SQLException {
    String schema = TestDatabase.newSchemaName();
    // A table in the way makes the script fail half way: the schema, the version table and the
    // tables created before must all be rolled back with it.
    TestDatabase.execute("CREATE SCHEMA \"" + schema + "\"; CREATE TABLE \"" + schema
        + "\".grant_changes (x int)");
    assertThrows(GrantStoreException.class,
        () -> PostgresSchema.apply(TestDatabase.dataSource(), schema));
    try (Connection c = TestDatabase.unpooled().getConnection();
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SELECT count(*) FROM information_schema.tables "
            + "WHERE table_schema = '" + schema + "'")) {
      row.next();
      assertEquals(1, row.getInt(1), "only the table that was there before");
    }
  }
}
