package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.governance.Certification;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * What the compatibility kit does not see: two instances on their own pools, how failures are
 * reported, text PostgreSQL cannot hold, and a decision and its suspension changed together.
 */
class PostgresRecertificationStoreTest {
  private final String schema = TestDatabase.newSchemaName();
  private final PostgresRecertificationStore store;
  private final Instant due = FakeClock.DEFAULT_START;

  PostgresRecertificationStoreTest() {
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    store = storeOn(TestDatabase.dataSource());
  }

  private PostgresRecertificationStore storeOn(DataSource dataSource) {
    return PostgresRecertificationStore.builder().dataSource(dataSource).schema(schema).build();
  }

  @Test
  void aLapseIsMarkedOnceAcrossTwoInstancesOnTheirOwnPoolsAlsoWhenTheyRace() throws Exception {
    PostgresRecertificationStore a = storeOn(new TestPool(TestDatabase.unpooled(), true));
    PostgresRecertificationStore b = storeOn(new TestPool(TestDatabase.unpooled(), false));
    assertTrue(a.markLapsed("bundle:holiday", due));
    assertFalse(b.markLapsed("bundle:holiday", due), "b sees a's mark");
    assertTrue(b.markNoticed("bundle:holiday", due));
    assertFalse(a.markNoticed("bundle:holiday", due));
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      for (int round = 0; round < 50; round++) {
        Instant at = due.plusSeconds(round + 1);
        CyclicBarrier start = new CyclicBarrier(4);
        List<Future<Boolean>> marks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          PostgresRecertificationStore through = t % 2 == 0 ? a : b;
          Callable<Boolean> mark = () -> {
            start.await();
            return through.markLapsed("bundle:holiday", at);
          };
          marks.add(pool.submit(mark));
        }
        int first = 0;
        for (Future<Boolean> mark : marks) {
          first += mark.get(30, TimeUnit.SECONDS) ? 1 : 0;
        }
        assertEquals(1, first, "round " + round);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aDecisionAndTheEndOfItsSuspensionAreOneStatement() {
    StatementCounter counter = new StatementCounter(TestDatabase.unpooled());
    PostgresRecertificationStore counted = storeOn(counter);
    counted.suspend("bundle:holiday");
    counter.prepared.clear();
    counted.record(new Certification("bundle:holiday", "lead-lee", true, "still needed", due));
    assertEquals(1, counter.prepared.size(), counter.prepared.toString());
    assertFalse(store.isSuspended("bundle:holiday"));
  }

  @Test
  void aFailedDecisionLeavesTheSuspensionAndTheDecisionBeforeOnEitherKindOfPool() {
    Certification before = new Certification("bundle:holiday", "lead-lee", true, "fine", due);
    store.record(before);
    store.suspend("bundle:holiday");
    TestDatabase.execute("ALTER TABLE \"" + schema + "\".recertification_decisions ADD "
        + "CONSTRAINT no_refusals CHECK (keep)");
    for (boolean autoCommit : new boolean[] {true, false}) {
      PostgresRecertificationStore through =
          storeOn(new TestPool(TestDatabase.unpooled(), autoCommit));
      GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
          () -> through.record(new Certification("bundle:holiday", "lead-lee", false,
              "secret note of the reviewer", due.plusSeconds(1))));
      assertTrue(e.getMessage().startsWith("PostgreSQL governance store could not record a "
          + "recertification decision: ERROR: new row for relation "
          + "\"recertification_decisions\" violates check constraint \"no_refusals\""),
          e.getMessage());
      assertTrue(e.getMessage().endsWith("(SQLState 23514)"), e.getMessage());
      assertFalse(PostgresBundleStoreTest.everything(e).contains("secret note"),
          "no row quoted");
      assertEquals(before, store.latest("bundle:holiday"));
      assertTrue(store.isSuspended("bundle:holiday"), "still suspended: auto-commit "
          + autoCommit);
    }
  }

  @Test
  void textPostgresCannotHoldIsRefusedNamingTheField() {
    assertEquals("item must not hold NUL or an unpaired surrogate, which PostgreSQL cannot store "
        + "as they are", assertThrows(IllegalArgumentException.class,
            () -> store.markLapsed("bundle:\u0000", due)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> store.markNoticed("\uD800", due));
    assertThrows(IllegalArgumentException.class, () -> store.suspend("a\u0000"));
    IllegalArgumentException note = assertThrows(IllegalArgumentException.class,
        () -> store.record(new Certification("bundle:x", "lee", true, "half \uD83D", due)));
    assertTrue(note.getMessage().startsWith("note must not hold NUL"), note.getMessage());
    assertNull(store.latest("bundle:x"));
    assertNull(store.latest("a\u0000"));
    assertFalse(store.isSuspended("a\u0000"));
  }

  @Test
  void aStoredRowThatIsNoValidDecisionIsAGovernanceStoreException() {
    store.record(new Certification("bundle:holiday", "lead-lee", true, "fine", due));
    TestDatabase.execute("UPDATE \"" + schema + "\".recertification_decisions SET reviewer = "
        + "'' WHERE item = 'bundle:holiday'");
    GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
        () -> store.latest("bundle:holiday"));
    assertEquals("a stored recertification decision is not valid: reviewer must not be blank",
        e.getMessage());
  }

  @Test
  void aMissingTableIsAGovernanceStoreException() {
    PostgresRecertificationStore nowhere = PostgresRecertificationStore.builder()
        .dataSource(TestDatabase.dataSource()).schema("no_such_schema").build();
    GovernanceStoreException e = assertThrows(GovernanceStoreException.class,
        () -> nowhere.markLapsed("bundle:holiday", due));
    assertTrue(e.getMessage().startsWith("PostgreSQL governance store could not mark a "
        + "recertification lapsed: ERROR: relation \"no_such_schema.recertification_lapses\" "
        + "does not exist"), e.getMessage());
    assertThrows(GovernanceStoreException.class, () -> nowhere.isSuspended("bundle:holiday"));
  }

  @Test
  void theDefaultSchemaIsTheGrantStoresJitAccess() {
    assertEquals("jit_access", PostgresRecertificationStore.builder()
        .dataSource(TestDatabase.dataSource()).build().schema());
    assertEquals("jit_access", PostgresBundleStore.builder()
        .dataSource(TestDatabase.dataSource()).build().schema());
    assertThrows(NullPointerException.class, () -> PostgresBundleStore.builder().build());
    assertThrows(NullPointerException.class,
        () -> PostgresRecertificationStore.builder().build());
    assertThrows(IllegalArgumentException.class,
        () -> PostgresRecertificationStore.builder().schema("Bad-Name"));
    assertThrows(IllegalArgumentException.class,
        () -> PostgresBundleStore.builder().schema("x\"; DROP TABLE bundles; --"));
  }
}
