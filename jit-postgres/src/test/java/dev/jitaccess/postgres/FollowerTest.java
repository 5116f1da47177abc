package dev.jitaccess.postgres;

import static dev.jitaccess.postgres.Replica.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.testkit.time.FakeClock;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How promptly a follower reads a change: a notification wakes it at once, changes held back by
 * an older transaction are read soon after it ends, and a slow listener holds back neither the
 * follower's polls nor the copy it keeps fresh. The stores here poll every five seconds ({@code
 * maxLag} 20 s), so a change read within one second was not read by the periodic poll.
 */
class FollowerTest {
  private static final Duration LONG_MAX_LAG = Duration.ofSeconds(20);
  private static final Duration PROMPTLY = Duration.ofSeconds(1);
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final FakeClock clock = new FakeClock();
  private final String schema = TestDatabase.freshSchema();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    Collections.reverse(closing);
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private Replica replica(Duration maxLag) {
    Replica replica =
        new Replica(TestDatabase.dataSource(), schema, clock, Consistency.CACHED, maxLag);
    closing.add(replica);
    return replica;
  }

  /** How long {@code replica} took, from now, to deny {@code grant} as REVOKED. */
  private static Duration timeToDeny(Replica replica, Grant grant) {
    long started = System.nanoTime();
    awaitUntil(() -> replica.check(grant).reason() == DenyReason.REVOKED, PATIENCE, "denied");
    return Duration.ofNanos(System.nanoTime() - started);
  }

  @Test
  void aNotificationWakesTheFollowerLongBeforeItsPollInterval() {
    Replica a = replica(LONG_MAX_LAG);
    Replica b = replica(LONG_MAX_LAG);
    for (int i = 0; i < 3; i++) {
      Grant grant = a.mint(Duration.ofMinutes(5));
      awaitUntil(() -> b.check(grant).isAllowed(), PATIENCE, "allowed on B, from its copy");
      assertTrue(a.jit.revoke(grant.id(), RevocationReason.ANOMALY));
      Duration took = timeToDeny(b, grant);
      assertTrue(took.compareTo(PROMPTLY) < 0, "denied on B after " + took);
    }
  }

  @Test
  void changesHeldBackByAnOlderTransactionAreReadSoonAfterItEndsThoughItSendsNoNotification()
      throws Exception {
    Replica a = replica(LONG_MAX_LAG);
    Replica b = replica(LONG_MAX_LAG);
    Grant grant = a.mint(Duration.ofMinutes(5));
    awaitUntil(() -> b.check(grant).isAllowed(), PATIENCE, "allowed on B, from its copy");
    try (Connection older = TestDatabase.unpooled().getConnection()) {
      older.setAutoCommit(false);
      try (Statement statement = older.createStatement()) {
        statement.execute("SELECT pg_current_xact_id()"); // an xid older than the revocation's
      }
      assertTrue(a.jit.revoke(grant.id(), RevocationReason.ANOMALY));
      Timestamp revoked = databaseNow();
      // B's follower, woken by the revocation's notification, polls and finds it held back.
      awaitUntil(() -> followerPolledSince(b, revoked), PATIENCE, "B's follower polled");
      assertTrue(b.check(grant).isAllowed(), "held back: B's copy within its bound still has it");
      older.commit();
    }
    Duration took = timeToDeny(b, grant);
    assertTrue(took.compareTo(PROMPTLY) < 0, "denied on B after " + took);
  }

  @Test
  void aSlowListenerHoldsBackNeitherTheCopyNorItsFreshnessAndStillHearsEachChangeOnceInOrder()
      throws Exception {
    Duration maxLag = Duration.ofSeconds(1);
    PostgresGrantStore writer = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).clock(clock).build();
    PostgresGrantStore reader = PostgresGrantStore.builder().dataSource(TestDatabase.dataSource())
        .schema(schema).clock(clock).consistency(Consistency.CACHED).maxLag(maxLag).build();
    CountDownLatch release = new CountDownLatch(1);
    List<String> heard = Collections.synchronizedList(new ArrayList<>());
    closing.add(reader.follow(grant -> {
      heard.add(grant.reference() + " " + grant.state());
      try {
        release.await(60, TimeUnit.SECONDS); // the listener is stuck on the first change
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }));
    awaitUntil(() -> reader.get(TestGrants.newId()) == null, PATIENCE, "the reader is fresh");
    Grant first = TestGrants.grant(clock);
    writer.insert(first);
    awaitUntil(() -> heard.size() == 1, PATIENCE, "the listener is called, and stays");
    Grant second = TestGrants.grant(clock);
    writer.insert(second);
    Grant revoked = second.end(GrantState.REVOKED, RevocationReason.ANOMALY, clock.instant());
    assertTrue(writer.compareAndSet(second, revoked));

    awaitUntil(() -> revoked.equals(reader.get(second.id())), PATIENCE,
        "the copy has the revocation while the listener is stuck");
    // A follower stuck in its listener would leave the view stale after maxLag.
    long until = System.nanoTime() + maxLag.multipliedBy(5).dividedBy(2).toNanos();
    while (System.nanoTime() - until < 0) {
      reader.get(first.id()); // a stale view throws StaleViewException
      LockSupport.parkNanos(1_000_000);
    }
    assertEquals(1, heard.size());

    release.countDown();
    String revocation = second.reference() + " REVOKED";
    awaitUntil(() -> heard.contains(revocation), PATIENCE, "the rest is heard");
    // The second grant's insert is heard only if it was read before its revocation committed:
    // a change is delivered with the grant as stored when it is read.
    List<String> expected = heard.size() == 2
        ? List.of(first.reference() + " ACTIVE", revocation)
        : List.of(first.reference() + " ACTIVE", second.reference() + " ACTIVE", revocation);
    assertEquals(expected, new ArrayList<>(heard), "in order, each once");
  }

  private static Timestamp databaseNow() throws SQLException {
    try (Connection connection = TestDatabase.unpooled().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT clock_timestamp()")) {
      row.next();
      return row.getTimestamp(1);
    }
  }

  /** Whether {@code replica}'s follower finished a statement after {@code since}. */
  private static boolean followerPolledSince(Replica replica, Timestamp since) {
    try (Connection connection = TestDatabase.unpooled().getConnection();
        PreparedStatement statement = connection.prepareStatement("SELECT count(*) FROM "
            + "pg_stat_activity WHERE application_name = ? AND state = 'idle' "
            + "AND state_change > ?")) {
      statement.setString(1, ChangeFollower.applicationName(replica.store.origin()));
      statement.setTimestamp(2, since);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getLong(1) > 0;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
