package dev.jitaccess.postgres;

import static dev.jitaccess.postgres.Replica.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.testkit.time.FakeClock;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Three runtimes, each on its own {@link PostgresGrantStore} instance, on one real PostgreSQL:
 * what one does, the others see and hear of, once, in both consistency modes, through dropped
 * connections and stale views.
 */
class ReplicasTest {
  private static final Duration MAX_LAG = Duration.ofMillis(250);
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final FakeClock clock = new FakeClock();
  private final String schema = TestDatabase.freshSchema();
  private final List<Replica> replicas = new ArrayList<>();

  @AfterEach
  void closeReplicas() {
    for (Replica replica : replicas) {
      replica.close();
    }
  }

  private Replica replica(Consistency consistency) {
    return replica(consistency, TestDatabase.dataSource());
  }

  private Replica replica(Consistency consistency, javax.sql.DataSource dataSource) {
    Replica replica = new Replica(dataSource, schema, clock, consistency, MAX_LAG);
    replicas.add(replica);
    return replica;
  }

  private static String heard(Grant grant, RevocationReason reason) {
    return grant.reference() + " " + reason;
  }

  /** Waits until every replica heard {@code expected}, in order, and nothing else. */
  private static void awaitHeard(List<String> expected, Replica... replicas) {
    for (Replica replica : replicas) {
      awaitUntil(() -> replica.heard().size() >= expected.size(), PATIENCE,
          "the listener hears of " + expected.size() + " ends");
      assertEquals(expected, replica.heard());
    }
  }

  @ParameterizedTest
  @EnumSource(Consistency.class)
  void aRevocationOnOneReplicaIsDeniedOnTheOthersHeardOnceByEachAndAuditedOnceWhereMade(
      Consistency consistency) {
    Replica a = replica(consistency);
    Replica b = replica(consistency);
    Replica c = replica(consistency);
    Grant grant = a.mint(Duration.ofMinutes(5));
    Grant sentinel = a.mint(Duration.ofMinutes(5));
    awaitUntil(() -> b.check(grant).isAllowed() && c.check(grant).isAllowed(), PATIENCE,
        "the grant minted on A is allowed on B and C");

    assertTrue(a.jit.revoke(grant.id(), RevocationReason.ANOMALY));
    if (consistency == Consistency.STRICT) {
      assertEquals(DenyReason.REVOKED, b.check(grant).reason(), "at once on B");
      assertEquals(DenyReason.REVOKED, c.check(grant).reason(), "at once on C");
    } else {
      awaitUntil(() -> b.check(grant).reason() == DenyReason.REVOKED
          && c.check(grant).reason() == DenyReason.REVOKED, MAX_LAG.plus(PATIENCE),
          "B and C deny the revoked grant");
    }
    // A later revocation heard after it proves the first was not heard twice.
    assertTrue(a.jit.revoke(sentinel.id(), RevocationReason.MANUAL));
    awaitHeard(List.of(heard(grant, RevocationReason.ANOMALY),
        heard(sentinel, RevocationReason.MANUAL)), a, b, c);
    assertEquals(2, a.audited(AuditEventType.REVOKED).size(), "audited where made");
    assertEquals(0, b.audited(AuditEventType.REVOKED).size());
    assertEquals(0, c.audited(AuditEventType.REVOKED).size());
  }

  @ParameterizedTest
  @EnumSource(Consistency.class)
  void aCheckThatStartsAfterARevocationReturnedAndTheBoundPassedNeverAllows(
      Consistency consistency) throws Exception {
    Replica a = replica(consistency);
    Replica b = replica(consistency);
    int count = 60;
    List<Grant> grants = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      grants.add(a.mint(Duration.ofMinutes(5)));
    }
    long bound = consistency == Consistency.STRICT ? 0 : MAX_LAG.toNanos();
    AtomicLongArray revokedAt = new AtomicLongArray(count); // 0: not yet
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean done = new AtomicBoolean();
    ConcurrentLinkedQueue<String> violations = new ConcurrentLinkedQueue<>();
    AtomicInteger checks = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        work.add(pool.submit(() -> {
          int i;
          while ((i = next.getAndIncrement()) < count) {
            assertTrue(a.jit.revoke(grants.get(i).id(), RevocationReason.ANOMALY));
            revokedAt.set(i, System.nanoTime());
          }
          return null;
        }));
      }
      for (int t = 0; t < 5; t++) {
        work.add(pool.submit(() -> {
          while (!done.get()) {
            int i = ThreadLocalRandom.current().nextInt(count);
            long started = System.nanoTime();
            long revoked = revokedAt.get(i);
            Decision decision = b.check(grants.get(i));
            checks.incrementAndGet();
            if (revoked != 0 && started - revoked > bound && decision.isAllowed()) {
              violations.add("grant " + i + " allowed " + (started - revoked) / 1000 + " us "
                  + "after its revocation returned");
            }
          }
          return null;
        }));
      }
      for (int t = 0; t < 3; t++) {
        work.get(t).get(60, TimeUnit.SECONDS);
      }
      long last = System.nanoTime();
      awaitUntil(() -> System.nanoTime() - last > bound + 200_000_000L, PATIENCE,
          "the checkers run past the bound");
      done.set(true);
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(), new ArrayList<>(violations));
    assertTrue(checks.get() > count, "the checkers ran");
    for (Grant grant : grants) {
      awaitUntil(() -> b.check(grant).reason() == DenyReason.REVOKED, PATIENCE,
          "every revoked grant is denied on B");
    }
  }

  @Test
  void aFollowerWhoseConnectionIsKilledCatchesUpMissingNoRevocationAndRepeatingNone() {
    Replica a = replica(Consistency.CACHED);
    Replica b = replica(Consistency.CACHED);
    Replica c = replica(Consistency.CACHED);
    List<Grant> grants = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      grants.add(a.mint(Duration.ofMinutes(5)));
    }
    List<String> expected = new ArrayList<>();
    int firstPid = followerPid(b);
    for (int i = 0; i < grants.size(); i++) {
      if (i % 3 == 0) {
        terminateFollower(b);
        terminateFollower(c);
      }
      assertTrue(a.jit.revoke(grants.get(i).id(), RevocationReason.ANOMALY));
      expected.add(heard(grants.get(i), RevocationReason.ANOMALY));
    }
    awaitHeard(expected, a, b, c);
    awaitUntil(() -> followerPid(b) > 0 && followerPid(b) != firstPid, PATIENCE,
        "B's follower reconnected on a new connection");
    for (Grant grant : grants) {
      awaitUntil(() -> b.check(grant).reason() == DenyReason.REVOKED
          && c.check(grant).reason() == DenyReason.REVOKED, PATIENCE, "denied on B and C");
    }
  }

  @ParameterizedTest
  @EnumSource(Consistency.class)
  void aBudgetSpentAcrossThreeReplicasByManyThreadsAllowsExactlyItsUses(Consistency consistency)
      throws Exception {
    Replica a = replica(consistency);
    Replica b = replica(consistency);
    Replica c = replica(consistency);
    int uses = 25;
    Grant grant = a.mintWithBudget(uses);
    awaitUntil(() -> b.jit.grant(grant.id()).isPresent() && c.jit.grant(grant.id()).isPresent(),
        PATIENCE, "B and C see the grant");
    AtomicInteger allowed = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(9);
    try {
      List<Future<?>> work = new ArrayList<>();
      for (Replica on : List.of(a, b, c)) {
        for (int t = 0; t < 3; t++) {
          work.add(pool.submit(() -> {
            for (int k = 0; k < 15; k++) {
              if (on.check(grant).isAllowed()) {
                allowed.incrementAndGet();
              }
            }
            return null;
          }));
        }
      }
      for (Future<?> f : work) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(uses, allowed.get());
  }

  @Test
  void aReplicaClosedWithLiveGrantsHasThemEndedAtExpiryByAnotherWhoseListenersHear() {
    Replica a = replica(Consistency.CACHED);
    Grant listed = a.mint(Duration.ofMinutes(5)); // armed on B and C by their start-up listing
    Replica b = replica(Consistency.CACHED);
    Replica c = replica(Consistency.CACHED);
    Grant followed = a.mint(Duration.ofMinutes(6)); // armed on B and C through their followers
    // Changes are delivered in order: once B and C heard of a later revocation, they had the
    // insert of the followed grant, and armed its timer.
    Grant sentinel = a.mint(Duration.ofMinutes(5));
    assertTrue(a.jit.revoke(sentinel.id(), RevocationReason.MANUAL));
    String revokedSentinel = heard(sentinel, RevocationReason.MANUAL);
    awaitHeard(List.of(revokedSentinel), b, c);
    a.close();

    clock.advance(Duration.ofMinutes(7));

    List<String> expected = List.of(revokedSentinel, heard(listed, RevocationReason.EXPIRED),
        heard(followed, RevocationReason.EXPIRED));
    for (Replica replica : List.of(b, c)) {
      awaitUntil(() -> new HashSet<>(replica.heard()).equals(new HashSet<>(expected)), PATIENCE,
          "both expiries heard");
      assertEquals(3, replica.heard().size(), "each once");
    }
    assertEquals(2, b.audited(AuditEventType.EXPIRED).size()
        + c.audited(AuditEventType.EXPIRED).size(), "each expiry audited once");
    assertEquals(List.of(revokedSentinel), a.heard(), "A was closed before the expiries");
  }

  @Test
  void aCachedStoreDeniesStaleViewWhileItsFollowerIsCutOffAndAllowsOnceCaughtUp() {
    SwitchableDataSource partitioned = new SwitchableDataSource(TestDatabase.dataSource());
    Replica a = replica(Consistency.CACHED);
    Replica b = replica(Consistency.CACHED, partitioned);
    Grant grant = a.mint(Duration.ofMinutes(5));
    awaitUntil(() -> b.check(grant).isAllowed(), PATIENCE, "allowed on B");

    partitioned.setDown(true);
    terminateFollower(b);
    awaitUntil(() -> b.check(grant).reason() == DenyReason.STALE_VIEW, PATIENCE,
        "B denies STALE_VIEW while its follower is cut off");
    Decision stale = b.check(grant);
    assertEquals(DenyReason.STALE_VIEW, stale.reason());
    assertFalse(String.valueOf(stale.detail()).contains(grant.id()), "no id in the message");

    partitioned.setDown(false);
    awaitUntil(() -> b.check(grant).isAllowed(), PATIENCE, "allowed again once caught up");
  }

  @Test
  void aFollowerThatMissedPurgedChangesWhileCutOffNeverAllowsFromItsOldCopy() {
    SwitchableDataSource partitioned = new SwitchableDataSource(TestDatabase.dataSource());
    Replica a = replica(Consistency.CACHED);
    Replica b = replica(Consistency.CACHED, partitioned);
    Grant grant = a.mint(Duration.ofMinutes(5));
    awaitUntil(() -> b.check(grant).isAllowed(), PATIENCE, "allowed on B, from its copy");

    partitioned.setDown(true);
    terminateFollower(b);
    awaitUntil(() -> b.check(grant).reason() == DenyReason.STALE_VIEW, PATIENCE, "cut off");
    assertTrue(a.jit.revoke(grant.id(), RevocationReason.ANOMALY));
    // The revocation's change is purged before B's follower could read it.
    a.store.changeLog().purgeOlderThan(Duration.ZERO);

    partitioned.setDown(false);
    awaitUntil(() -> b.check(grant).reason() != DenyReason.STALE_VIEW, PATIENCE, "caught up");
    assertEquals(DenyReason.REVOKED, b.check(grant).reason(),
        "a copy kept through a stale view is dropped, not trusted");
  }

  @Test
  void aCachedStoreDeniesStaleViewWhileALongTransactionHoldsItsFollowerBack() throws Exception {
    Replica a = replica(Consistency.CACHED);
    Replica b = replica(Consistency.CACHED);
    Grant live = a.mint(Duration.ofMinutes(5));
    Grant revoked = a.mint(Duration.ofMinutes(5));
    awaitUntil(() -> b.check(live).isAllowed(), PATIENCE, "allowed on B");
    try (Connection longRunning = TestDatabase.unpooled().getConnection()) {
      longRunning.setAutoCommit(false);
      try (Statement statement = longRunning.createStatement()) {
        statement.execute("SELECT pg_current_xact_id()"); // an xid older than what follows
      }
      assertTrue(a.jit.revoke(revoked.id(), RevocationReason.ANOMALY));
      awaitUntil(() -> b.check(live).reason() == DenyReason.STALE_VIEW, PATIENCE,
          "B cannot prove its view fresh and denies STALE_VIEW");
      assertNotEquals(true, b.check(revoked).isAllowed(), "never the revoked grant");
      // A stale view never stops a revocation: a transition reads the database.
      assertTrue(b.jit.revoke(live.id(), RevocationReason.ANOMALY),
          "B revokes though it cannot prove its view fresh");
      assertEquals(GrantState.REVOKED, a.store.getLatest(live.id()).state(), "in the database");
      longRunning.commit();
    }
    awaitUntil(() -> b.check(revoked).reason() == DenyReason.REVOKED, PATIENCE,
        "answered again once caught up");
    assertEquals(DenyReason.REVOKED, b.check(live).reason());
  }

  /** The pid of {@code replica}'s follower connection, or 0 if it has none. */
  private static int followerPid(Replica replica) {
    String sql = "SELECT coalesce(max(pid), 0) FROM pg_stat_activity WHERE application_name = '"
        + ChangeFollower.applicationName(replica.store.origin()) + "'";
    try (Connection connection = TestDatabase.unpooled().getConnection();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getInt(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void terminateFollower(Replica replica) {
    awaitUntil(() -> followerPid(replica) > 0, PATIENCE, "the follower is connected");
    TestDatabase.execute("SELECT pg_terminate_backend(" + followerPid(replica) + ")");
  }
}
