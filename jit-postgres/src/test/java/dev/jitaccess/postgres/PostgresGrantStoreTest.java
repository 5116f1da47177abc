package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.spi.StaleViewException;
import dev.jitaccess.testkit.time.FakeClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PostgresGrantStoreTest {
  /** Ids no grant can have: the library's ids are 1 to 1,024 URL-safe base64 characters. */
  private static final List<String> MALFORMED_IDS =
      List.of("", "a b", "a\u0000b", "\uD800", "é", "x".repeat(1025), "%", "a/b");

  private final FakeClock clock = new FakeClock();
  private String schema;
  private PostgresGrantStore store;

  @BeforeEach
  void freshSchema() {
    schema = TestDatabase.freshSchema();
    store = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource()).schema(schema)
        .clock(clock).build();
  }

  private long rows() throws SQLException {
    try (Connection c = TestDatabase.unpooled().getConnection();
        Statement s = c.createStatement();
        ResultSet row = s.executeQuery("SELECT count(*) FROM \"" + schema + "\".grants")) {
      row.next();
      return row.getLong(1);
    }
  }

  private Grant revoked(Grant grant) {
    Grant ended = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant());
    assertTrue(store.compareAndSet(grant, ended));
    return ended;
  }

  @Test
  void anEndedGrantIsHiddenAtTheRetentionAndDeletedByTheSweep() throws SQLException {
    Grant grant = TestGrants.grant(clock);
    store.insert(grant);
    Grant ended = revoked(grant);
    clock.advance(PostgresGrantStore.DEFAULT_RETENTION.minusNanos(1));
    assertEquals(ended, store.get(grant.id()), "kept until the retention has passed");
    assertEquals(0, store.purgeEnded());
    clock.advance(Duration.ofNanos(1));
    assertNull(store.get(grant.id()), "gone at the retention, sweep or not");
    assertNull(store.findByReference(grant.reference()));
    assertEquals(List.of(), List.copyOf(store.findByTask(grant.task())));
    assertEquals(1, rows(), "still a row until the sweep");
    assertEquals(1, store.purgeEnded());
    assertEquals(0, rows());
  }

  @Test
  void aReplicaSkipsThePurgeWhileAnotherHoldsItsLockAndPurgesOnceItIsFree() throws SQLException {
    Grant grant = TestGrants.grant(clock);
    store.insert(grant);
    revoked(grant);
    clock.advance(PostgresGrantStore.DEFAULT_RETENTION.plusSeconds(1));
    PostgresGrantStore other = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).clock(clock).build();
    try (Connection purging = TestDatabase.unpooled().getConnection()) {
      purging.setAutoCommit(false);
      assertTrue(ReplicaLock.tryLock(purging, schema, "purge-grants"),
          "this connection stands for a replica in the middle of a purge batch");
      assertEquals(0, store.purgeEnded(), "skipped: another replica is purging");
      assertEquals(0, other.purgeEnded(), "skipped on every other replica too");
      assertEquals(1, rows());
      purging.commit(); // the batch ends, and its lock with it
    }
    assertEquals(1, other.purgeEnded());
    assertEquals(0, rows());
  }

  @Test
  void anActiveGrantIsKeptUntilARetentionAfterItsNotAfter() throws SQLException {
    Grant grant = TestGrants.grant(clock); // notAfter in one hour
    store.insert(grant);
    clock.advance(Duration.ofHours(1).plus(PostgresGrantStore.DEFAULT_RETENTION).minusNanos(1));
    assertEquals(grant, store.get(grant.id()), "ACTIVE past expiry: the runtime ends it");
    assertEquals(List.of(grant), store.findActiveByExpiry(null, 10));
    assertEquals(0, store.purgeEnded());
    clock.advance(Duration.ofNanos(1));
    assertNull(store.get(grant.id()));
    assertEquals(List.of(), store.findActiveByExpiry(null, 10));
    assertFalse(store.compareAndSet(grant,
        grant.end(GrantState.EXPIRED, RevocationReason.EXPIRED, clock.instant())),
        "a grant past its retention is gone for transitions too");
    assertEquals(1, store.purgeEnded());
    assertEquals(0, rows());
  }

  @Test
  void theSweepDeletesInBatchesUntilNothingIsLeftAndKeepsLiveGrants() throws SQLException {
    int ended = PostgresGrantStore.PURGE_BATCH * 2 + 17;
    TestDatabase.execute("INSERT INTO \"" + schema + "\".grants (id, reference, subject, owner, "
        + "task, purpose, scope, issued_at_s, issued_at_n, expires_at_s, expires_at_n, "
        + "not_after_s, not_after_n, uses_consumed, version, state, end_reason, ended_at_s, "
        + "ended_at_n) SELECT 'id' || i, 'gr_' || lpad(i::text, 16, '0'), 's', 'o', 't', 'p', "
        + "'read:x', 0, 0, 10, 0, 10, 0, 0, 1, 'REVOKED', 'MANUAL', 5, 0 "
        + "FROM generate_series(1, " + ended + ") i");
    Grant live = TestGrants.grant(clock);
    store.insert(live);
    assertEquals(ended, store.purgeEnded());
    assertEquals(1, rows());
    assertEquals(live, store.get(live.id()));
  }

  @Test
  void aRetentionOfZeroHidesAGrantTheMomentItEnds() {
    PostgresGrantStore forgetful = PostgresGrantStore.builder()
        .dataSource(TestDatabase.dataSource()).schema(schema).clock(clock)
        .retention(Duration.ZERO).build();
    Grant grant = TestGrants.grant(clock);
    forgetful.insert(grant);
    Grant ended = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant());
    assertTrue(forgetful.compareAndSet(grant, ended));
    assertNull(forgetful.get(grant.id()));
    assertEquals(ended, store.get(grant.id()), "a store with a longer retention still sees it");
  }

  @Test
  void instantsKeepEveryNanosecondAndTheEpochsEdges() {
    Instant issued = Instant.parse("1969-12-31T23:59:59.999999999Z");
    Grant grant = Grant.builder().id(TestGrants.newId()).subject("s").owner("o").task("t")
        .purpose("p").scope(dev.jitaccess.Scope.parse("read:x")).issuedAt(issued)
        .expiresAt(issued.plusNanos(1)).notAfter(Instant.parse("+100000-01-01T00:00:00.000000001Z"))
        .useBudget(OptionalLong.of(Long.MAX_VALUE)).usesConsumed(Long.MAX_VALUE - 1).build();
    store.insert(grant);
    assertEquals(grant, store.get(grant.id()));
  }

  @Test
  void idsAndReferencesThatCannotExistFindNothingWithoutAQuery() {
    for (String id : MALFORMED_IDS) {
      assertNull(store.get(id), id);
      assertEquals(List.of(), List.copyOf(store.findByParent(id)), id);
      assertNull(store.findByReference(id), id);
    }
    for (String name : List.of("a\u0000b", "lone \uD800 surrogate", "\uDC00")) {
      assertEquals(List.of(), List.copyOf(store.findBySubject(name)));
      assertEquals(List.of(), List.copyOf(store.findByOwner(name)));
      assertEquals(List.of(), List.copyOf(store.findByTask(name)));
    }
  }

  @Test
  void getLatestOfAMalformedIdIsNullWithoutTouchingTheDatabaseInEitherMode() {
    SwitchableDataSource unreachable = new SwitchableDataSource(TestDatabase.dataSource());
    unreachable.setDown(true);
    for (Consistency consistency : Consistency.values()) {
      PostgresGrantStore cutOff = PostgresGrantStore.builder().dataSource(unreachable)
          .schema(schema).clock(clock).consistency(consistency).build();
      for (String id : MALFORMED_IDS) {
        assertNull(cutOff.getLatest(id), id);
        assertNull(cutOff.get(id), id);
      }
      assertThrows(GrantStoreException.class, () -> cutOff.getLatest(TestGrants.newId()),
          "a well-formed id is a query, which fails");
      assertThrows(NullPointerException.class, () -> cutOff.getLatest(null));
    }
  }

  @Test
  void aFollowedCachedStoreThatCannotProveItsViewAnswersMalformedIdsAndThrowsForTheRest()
      throws Exception {
    SwitchableDataSource unreachable = new SwitchableDataSource(TestDatabase.dataSource());
    unreachable.setDown(true);
    PostgresGrantStore cutOff = PostgresGrantStore.builder().dataSource(unreachable)
        .schema(schema).clock(clock).consistency(Consistency.CACHED).build();
    try (AutoCloseable following = cutOff.follow(grant -> { })) {
      for (String id : MALFORMED_IDS) {
        assertNull(cutOff.get(id), id);
        assertNull(cutOff.getLatest(id), id);
      }
      String id = TestGrants.newId();
      assertThrows(StaleViewException.class, () -> cutOff.get(id));
      assertThrows(GrantStoreException.class, () -> cutOff.getLatest(id));
    }
  }

  @Test
  void aDuplicateIdIsRefusedWithItsReferenceNeverTheId() {
    Grant grant = TestGrants.grant(clock);
    store.insert(grant);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.insert(grant));
    assertEquals("grant.id must be unique, " + grant.reference() + " exists", e.getMessage());
  }

  @Test
  void theBuilderRefusesMissingAndNegativeSettingsNamingThem() {
    NullPointerException noSource = assertThrows(NullPointerException.class,
        () -> PostgresGrantStore.builder().build());
    assertEquals("dataSource must not be null", noSource.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> PostgresGrantStore.builder().retention(Duration.ofSeconds(-1)));
    assertEquals("retention must be >= 0, was PT-1S", negative.getMessage());
    assertThrows(NullPointerException.class, () -> PostgresGrantStore.builder().clock(null));
    IllegalArgumentException limit = assertThrows(IllegalArgumentException.class,
        () -> store.findActiveByExpiry(null, 0));
    assertEquals("limit must be > 0, was 0", limit.getMessage());
  }

  @Test
  void aStoreOnAMissingSchemaThrowsAStoreExceptionThatNamesTheOperation() {
    PostgresGrantStore nowhere = PostgresGrantStore.builder()
        .dataSource(TestDatabase.dataSource()).schema("no_such_schema").clock(clock).build();
    Grant grant = TestGrants.grant(clock);
    GrantStoreException e = assertThrows(GrantStoreException.class, () -> nowhere.insert(grant));
    assertTrue(e.getMessage().startsWith("PostgreSQL grant store could not insert a grant: "),
        e.getMessage());
    assertTrue(e.getMessage().contains("(SQLState 42P01)"), e.getMessage());
    assertFalse(e.getMessage().contains(grant.id()));
  }
}
