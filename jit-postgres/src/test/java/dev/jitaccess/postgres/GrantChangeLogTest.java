package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

class GrantChangeLogTest {
  private final FakeClock clock = new FakeClock();
  private String schema;
  private PostgresGrantStore store;
  private GrantChangeLog log;

  @BeforeEach
  void freshSchema() {
    schema = TestDatabase.freshSchema();
    store = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource()).schema(schema)
        .clock(clock).build();
    log = store.changeLog();
  }

  private List<GrantChange> all() {
    return log.changesAfter(0, 1000);
  }

  @Test
  void everyInsertAndTransitionAppendsExactlyOneChangeInOrder() {
    Grant grant = TestGrants.grant(clock);
    store.insert(grant);
    Grant used = grant.withUseSpent(clock.instant());
    assertTrue(store.compareAndSet(grant, used));
    Grant renewed = used.withExpiresAt(grant.notAfter());
    assertTrue(store.compareAndSet(used, renewed));
    Grant revoked = renewed.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant());
    assertTrue(store.compareAndSet(renewed, revoked));

    List<GrantChange> changes = all();
    assertEquals(4, changes.size(), changes.toString());
    long previous = 0;
    for (int v = 0; v < 4; v++) {
      GrantChange change = changes.get(v);
      assertEquals(grant.id(), change.grantId());
      assertEquals(v, change.version());
      assertEquals(v < 3 ? GrantState.ACTIVE : GrantState.REVOKED, change.state());
      assertTrue(change.revision() > previous, "revisions ascend");
      previous = change.revision();
      assertEquals(revoked, change.grant(), "each change carries the grant as stored now");
    }
    assertEquals(changes, log.committedChangesAfter(ChangePosition.START, 1000),
        "with nothing in flight, the committed changes are all of them, in the same order");
  }

  @Test
  void aRefusedCompareAndSetOrDuplicateInsertAppendsNothing() {
    Grant grant = TestGrants.grant(clock);
    store.insert(grant);
    Grant used = grant.withUseSpent(clock.instant());
    assertTrue(store.compareAndSet(grant, used));
    assertFalse(store.compareAndSet(grant, grant.withUsesConsumed(5)), "stale expected");
    Grant unknown = TestGrants.grant(clock);
    assertFalse(store.compareAndSet(unknown, unknown.withUseSpent(clock.instant())), "unknown");
    assertThrows(IllegalArgumentException.class, () -> store.compareAndSet(used,
        used.toBuilder().version(used.version() + 2).build()), "illegal transition");
    assertThrows(IllegalStateException.class, () -> store.insert(grant), "duplicate");
    assertEquals(2, all().size(), "the insert and the one successful compare-and-set");
  }

  @Test
  void readsPageByLimitAndResumeAfterTheLastRevision() {
    List<Grant> grants = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      Grant g = TestGrants.grant(clock);
      store.insert(g);
      grants.add(g);
    }
    List<String> seen = new ArrayList<>();
    long after = 0;
    for (List<GrantChange> page = log.changesAfter(after, 3); !page.isEmpty();
        page = log.changesAfter(after, 3)) {
      assertTrue(page.size() <= 3);
      for (GrantChange change : page) {
        seen.add(change.grantId());
        after = change.revision();
      }
    }
    List<String> committed = new ArrayList<>();
    ChangePosition position = ChangePosition.START;
    for (List<GrantChange> page = log.committedChangesAfter(position, 2); !page.isEmpty();
        page = log.committedChangesAfter(position, 2)) {
      for (GrantChange change : page) {
        committed.add(change.grantId());
        position = change.position();
      }
    }
    List<String> inserted = grants.stream().map(Grant::id).toList();
    assertEquals(inserted, seen);
    assertEquals(inserted, committed);
    assertThrows(IllegalArgumentException.class, () -> log.changesAfter(0, 0));
    assertThrows(IllegalArgumentException.class,
        () -> log.committedChangesAfter(ChangePosition.START, -1));
  }

  @Test
  void aChangeWhoseGrantIsGoneCarriesNoSnapshot() {
    Grant grant = TestGrants.grant(clock);
    store.insert(grant);
    assertTrue(store.compareAndSet(grant,
        grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant())));
    clock.advance(PostgresGrantStore.DEFAULT_RETENTION.plusSeconds(1));
    List<GrantChange> changes = all();
    assertEquals(2, changes.size());
    assertNull(changes.get(1).grant(), "past its retention");
    assertEquals(1, store.purgeEnded());
    assertEquals(2, all().size(), "deleting a grant keeps its changes");
    assertNull(all().get(0).grant());
  }

  @Test
  void aNotificationCarriesTheRevisionAndNothingElse() throws Exception {
    try (Connection listener = TestDatabase.unpooled().getConnection()) {
      try (Statement listen = listener.createStatement()) {
        listen.execute("LISTEN " + log.channel());
      }
      PGConnection pg = listener.unwrap(PGConnection.class);
      Grant grant = TestGrants.grant(clock);
      store.insert(grant);
      assertTrue(store.compareAndSet(grant, grant.withUseSpent(clock.instant())));
      List<PGNotification> received = new ArrayList<>();
      while (received.size() < 2) {
        PGNotification[] batch = pg.getNotifications(10_000);
        assertNotNull(batch, "no notification within 10 s");
        received.addAll(List.of(batch));
      }
      List<GrantChange> changes = all();
      for (int i = 0; i < 2; i++) {
        PGNotification n = received.get(i);
        assertEquals(schema, n.getName());
        assertEquals(Long.toString(changes.get(i).revision()), n.getParameter());
        assertFalse(n.getParameter().contains(grant.id()));
        assertFalse(n.getParameter().contains(grant.reference()));
      }
      assertFalse(store.compareAndSet(grant, grant.withUseSpent(clock.instant())));
      PGNotification[] none = pg.getNotifications(300);
      assertTrue(none == null || none.length == 0, "a refused compare-and-set notifies nobody");
    }
  }

  /**
   * The out-of-order commit: a transaction takes a revision, another takes the next one and
   * commits first. A reader by revision sees the later one alone; the committed reader waits.
   */
  @Test
  void committedChangesWaitForAnEarlierRevisionThatCommitsLater() throws SQLException {
    Grant early = TestGrants.grant(clock);
    Grant late = TestGrants.grant(clock);
    ChangePosition start = log.horizon();
    try (Connection slow = TestDatabase.unpooled().getConnection()) {
      slow.setAutoCommit(false);
      long earlyRevision;
      try (PreparedStatement insert = slow.prepareStatement("INSERT INTO \"" + schema
          + "\".grant_changes (grant_id, version, state) VALUES (?, 0, 'ACTIVE') "
          + "RETURNING revision")) {
        insert.setString(1, early.id());
        try (ResultSet row = insert.executeQuery()) {
          row.next();
          earlyRevision = row.getLong(1);
        }
      }
      store.insert(late); // commits, with a higher revision
      List<GrantChange> byRevision = all();
      assertEquals(1, byRevision.size());
      assertEquals(late.id(), byRevision.get(0).grantId());
      assertTrue(byRevision.get(0).revision() > earlyRevision, "the later revision, seen first");
      assertEquals(List.of(), log.committedChangesAfter(start, 100),
          "nothing is final while the earlier transaction runs");
      slow.commit();
      List<GrantChange> committed = log.committedChangesAfter(start, 100);
      assertEquals(List.of(early.id(), late.id()),
          committed.stream().map(GrantChange::grantId).toList());
      assertEquals(List.of(), log.committedChangesAfter(committed.get(1).position(), 100));
    }
  }

  @Test
  void theHorizonSkipsWhatIsAlreadyFinal() {
    Grant before = TestGrants.grant(clock);
    store.insert(before);
    ChangePosition horizon = log.horizon();
    Grant after = TestGrants.grant(clock);
    store.insert(after);
    List<GrantChange> changes = log.committedChangesAfter(horizon, 100);
    assertEquals(List.of(after.id()), changes.stream().map(GrantChange::grantId).toList());
  }

  @Test
  void theDatabaseClockIsAtOrAfterEveryChangeWritten() {
    store.insert(TestGrants.grant(clock));
    Instant changedAt = all().get(0).changedAt();
    Instant now = log.databaseTime();
    assertFalse(now.isBefore(changedAt), now + " before " + changedAt);
    assertTrue(Duration.between(changedAt, now).compareTo(Duration.ofMinutes(1)) < 0,
        "the lag measured on one clock");
  }

  @Test
  void purgingDropsOnlyChangesOlderThanTheAge() {
    store.insert(TestGrants.grant(clock));
    store.insert(TestGrants.grant(clock));
    assertEquals(0, log.purgeOlderThan(Duration.ofHours(1)));
    assertEquals(2, all().size());
    assertEquals(2, log.purgeOlderThan(Duration.ZERO));
    assertEquals(List.of(), all());
    assertThrows(IllegalArgumentException.class, () -> log.purgeOlderThan(Duration.ofSeconds(-1)));
  }

  @Test
  void purgingGoesOnInBatchesUntilEveryOldChangeIsGoneAndKeepsTheNewerOnes() {
    int old = GrantChangeLog.PURGE_BATCH * 2 + 17;
    TestDatabase.execute("INSERT INTO \"" + schema + "\".grant_changes (grant_id, version, "
        + "state, origin, changed_at) SELECT 'old' || i, 0, 'ACTIVE', 'o', clock_timestamp() - "
        + "interval '2 hours' FROM generate_series(1, " + old + ") i");
    store.insert(TestGrants.grant(clock));
    assertEquals(old, log.purgeOlderThan(Duration.ofHours(1)));
    assertEquals(1, all().size(), "the change written now is kept");
  }

  @Test
  void aChangeShowsTheGrantsReferenceNeverItsId() {
    Grant grant = TestGrants.grant(clock);
    store.insert(grant);
    String text = all().get(0).toString();
    assertFalse(text.contains(grant.id()), text);
    assertTrue(text.contains(grant.reference()), text);
  }
}
