package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.testkit.time.FakeClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** A store whose database fails throws, reveals no id, and leaves no half-written change. */
class DatabaseFailureTest {
  private final FakeClock clock = new FakeClock();

  private static void assertFailsWithoutTheId(Executable call, Grant grant) {
    GrantStoreException e = assertThrows(GrantStoreException.class, call);
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertTrue(e.getMessage().startsWith("PostgreSQL grant store could not "), e.getMessage());
    assertFalse(trace.toString().contains(grant.id()), trace.toString());
  }

  @Test
  void everyMethodThrowsOnceTheDatabaseIsDown() throws Exception {
    EmbeddedPostgres server = TestDatabase.startServer();
    TestPool pool = new TestPool(server.getPostgresDatabase(), true);
    String schema = TestDatabase.newSchemaName();
    PostgresSchema.apply(pool, schema);
    PostgresGrantStore store = PostgresGrantStore.builder().dataSource(pool).schema(schema)
        .clock(clock).build();
    Grant grant = TestGrants.grant(clock);
    store.insert(grant);
    server.close();

    Grant other = TestGrants.grant(clock);
    assertFailsWithoutTheId(() -> store.insert(other), other);
    assertFailsWithoutTheId(() -> store.get(grant.id()), grant);
    assertFailsWithoutTheId(() -> store.compareAndSet(grant,
        grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant())), grant);
    assertFailsWithoutTheId(() -> store.findActiveByExpiry(null, 10), grant);
    assertFailsWithoutTheId(() -> store.findByReference(grant.reference()), grant);
    assertFailsWithoutTheId(() -> store.findBySubject(grant.subject()), grant);
    assertFailsWithoutTheId(() -> store.findByOwner(grant.owner()), grant);
    assertFailsWithoutTheId(() -> store.findByTask(grant.task()), grant);
    assertFailsWithoutTheId(() -> store.findByParent(grant.id()), grant);
    assertFailsWithoutTheId(store::purgeEnded, grant);
    assertFailsWithoutTheId(() -> store.changeLog().changesAfter(0, 10), grant);
    assertFailsWithoutTheId(store.changeLog()::databaseTime, grant);
    assertFailsWithoutTheId(() -> PostgresSchema.apply(pool, schema), grant);
  }

  @Test
  void aRowTheDatabaseRefusesIsNotQuotedInTheException() throws SQLException {
    String schema = TestDatabase.freshSchema();
    // A constraint of the operator's: PostgreSQL's error detail then quotes the failing row.
    TestDatabase.execute("ALTER TABLE \"" + schema + "\".grants ADD CONSTRAINT no_mallory "
        + "CHECK (subject <> 'mallory')");
    Grant grant = TestGrants.grant(clock, "mallory", "owner", "task");
    try (Connection c = TestDatabase.unpooled().getConnection();
        Statement s = c.createStatement()) {
      SQLException raw = assertThrows(SQLException.class, () -> s.execute("INSERT INTO \""
          + schema + "\".grants (id, reference, subject, owner, task, purpose, scope, "
          + "issued_at_s, issued_at_n, expires_at_s, expires_at_n, not_after_s, not_after_n, "
          + "uses_consumed, version, state) VALUES ('" + grant.id() + "', 'r', 'mallory', 'o', "
          + "'t', 'p', 's', 0, 0, 1, 0, 1, 0, 0, 0, 'ACTIVE')"));
      assertTrue(raw.getMessage().contains(grant.id()), "the driver's own message quotes it");
    }
    PostgresGrantStore store = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).clock(clock).build();
    GrantStoreException e = assertThrows(GrantStoreException.class, () -> store.insert(grant));
    assertTrue(e.getMessage().contains("no_mallory"), e.getMessage());
    assertFailsWithoutTheId(() -> store.insert(grant), grant);
  }

  /** Makes every change row fail to be written, as a full disk or a lost connection would. */
  private static void breakTheChangeLog(String schema) {
    TestDatabase.execute("CREATE FUNCTION \"" + schema + "\".refuse() RETURNS trigger "
        + "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'change log unavailable'; END $$; "
        + "CREATE TRIGGER refuse BEFORE INSERT ON \"" + schema + "\".grant_changes "
        + "FOR EACH ROW EXECUTE FUNCTION \"" + schema + "\".refuse()");
  }

  @Test
  void aTransitionWhoseChangeCannotBeLoggedIsNotMade() {
    for (boolean autoCommit : List.of(true, false)) {
      String schema = TestDatabase.freshSchema();
      PostgresGrantStore store = PostgresGrantStore.builder()
          .dataSource(new TestPool(TestDatabase.unpooled(), autoCommit)).schema(schema)
          .clock(clock).build();
      Grant grant = TestGrants.grant(clock);
      store.insert(grant);
      breakTheChangeLog(schema);

      Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant());
      assertFailsWithoutTheId(() -> store.compareAndSet(grant, revoked), grant);
      assertEquals(grant, store.get(grant.id()), "the grant is unchanged");
      Grant other = TestGrants.grant(clock);
      assertFailsWithoutTheId(() -> store.insert(other), other);
      assertEquals(null, store.get(other.id()), "the grant was not inserted");
      assertEquals(1, store.changeLog().changesAfter(0, 10).size(), "only the first insert");
    }
  }
}
