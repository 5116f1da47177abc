package dev.jitaccess.postgres;

import static dev.jitaccess.postgres.Replica.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.testkit.time.FakeClock;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PostgresGrantStore#finishCascades()}, the background work that ends what a cascade left
 * ACTIVE under an ended parent: when no runtime followed the store as the cascade stopped, only it
 * ends those grants before their own expiry.
 */
class FinishCascadesTest {
  private static final Duration MAX_LAG = Duration.ofMillis(250);
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  private final FakeClock clock = new FakeClock();
  private final String schema = TestDatabase.freshSchema();
  private final List<Replica> replicas = new ArrayList<>();
  private final PostgresGrantStore store = PostgresGrantStore.builder()
      .dataSource(TestDatabase.dataSource()).schema(schema).clock(clock)
      .consistency(Consistency.STRICT).build();

  @AfterEach
  void closeReplicas() {
    for (Replica replica : replicas) {
      replica.close();
    }
  }

  private Replica replica(Consistency consistency) {
    Replica replica = new Replica(TestDatabase.dataSource(), schema, clock, consistency, MAX_LAG);
    replicas.add(replica);
    return replica;
  }

  private Grant grant(String parentId, Duration ttl) {
    return TestTrees.grant(clock, parentId, clock.instant().plus(ttl));
  }

  private Grant revoked(Grant grant) {
    Grant ended = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock.instant());
    assertTrue(store.compareAndSet(grant, ended));
    return ended;
  }

  private static List<String> heardOnce(List<Grant> grants) {
    List<String> expected = new ArrayList<>();
    for (Grant grant : grants) {
      expected.add(grant.reference() + " " + RevocationReason.PARENT_REVOKED);
    }
    expected.sort(null);
    return expected;
  }

  private static void awaitHeardOnce(List<String> expected, Replica replica) {
    awaitUntil(() -> replica.heard().size() >= expected.size(), PATIENCE,
        "the listener hears of " + expected.size() + " ends");
    List<String> heard = replica.heard();
    heard.sort(null);
    assertEquals(expected, heard, "each end heard once");
  }

  @Test
  void aCascadeAbandonedWhileNoReplicaFollowedStaysActiveUntilTheBackgroundWorkEndsItHeardOnce() {
    Grant root = grant(null, Duration.ofMinutes(5));
    store.insert(root);
    List<Grant> tree = TestTrees.descendants(clock, root, 20, 50); // 1,020 descendants
    TestTrees.insert(schema, tree);
    // The runtime that revoked the root ended it and a first few children, then died, while no
    // other runtime was following the store.
    revoked(root);
    assertEquals(5, store.endChildren(List.of(root.id()), clock.instant(), 5).size());
    List<Grant> left = new ArrayList<>(tree);
    left.removeIf(g -> store.get(g.id()).state() != GrantState.ACTIVE);
    assertEquals(tree.size() - 5, left.size());

    Replica d = replica(Consistency.CACHED);
    Replica e = replica(Consistency.STRICT);
    // Followers deliver in order: once both heard of a revocation made after they started, they
    // had every change before it, and none of them was the root's.
    Grant sentinel = grant(null, Duration.ofMinutes(5));
    store.insert(sentinel);
    revoked(sentinel);
    String sentinelHeard = sentinel.reference() + " " + RevocationReason.MANUAL;
    awaitUntil(() -> d.heard().contains(sentinelHeard) && e.heard().contains(sentinelHeard),
        PATIENCE, "both followers caught up");
    assertEquals(left.size(), TestTrees.count(schema, tree, "ACTIVE"),
        "a runtime that starts after the cascade stopped does not finish it");
    for (int i = 0; i < left.size(); i += 50) {
      assertFalse(d.check(left.get(i)).isAllowed(), "denied on D through the ended root");
      assertFalse(e.check(left.get(i)).isAllowed(), "denied on E through the ended root");
    }

    long ended = d.store.purgeBackground(Duration.ofHours(1));

    assertEquals(0, TestTrees.count(schema, tree, "ACTIVE"), "the background work finished it");
    assertTrue(ended > 0 && ended <= left.size(), "ended by the sweep, or by D's runtime on "
        + "hearing of the sweep's ends: " + ended);
    assertEquals(List.of(), TestTrees.endedMoreThanOnce(schema, tree));
    for (Grant grant : left) {
      Grant now = store.get(grant.id());
      assertEquals(GrantState.REVOKED, now.state());
      assertEquals(RevocationReason.PARENT_REVOKED, now.endReason());
    }
    List<String> expected = heardOnce(left);
    expected.add(sentinelHeard);
    expected.sort(null);
    awaitHeardOnce(expected, d);
    awaitHeardOnce(expected, e);
  }

  @Test
  void onlyGrantsWhoseParentEndedOrIsGoneAreEndedExpiredOnesAsExpiredDeepChainsInOneCall() {
    Grant liveParent = grant(null, Duration.ofMinutes(30));
    Grant liveChild = grant(liveParent.id(), Duration.ofMinutes(30));
    Grant endedParent = grant(null, Duration.ofMinutes(30));
    Grant expiring = grant(endedParent.id(), Duration.ofMinutes(1));
    Grant child = grant(endedParent.id(), Duration.ofMinutes(30));
    Grant grandchild = grant(child.id(), Duration.ofMinutes(30));
    Grant greatGrandchild = grant(grandchild.id(), Duration.ofMinutes(30));
    Grant ofAGoneParent = grant(TestGrants.newId(), Duration.ofMinutes(30));
    for (Grant g : List.of(liveParent, liveChild, endedParent, expiring, child, grandchild,
        greatGrandchild, ofAGoneParent)) {
      store.insert(g);
    }
    revoked(endedParent);
    clock.advance(Duration.ofMinutes(2)); // expiring is past its expiry; its timer has not run

    assertEquals(5, store.finishCascades());

    assertEquals(GrantState.ACTIVE, store.get(liveParent.id()).state());
    assertEquals(GrantState.ACTIVE, store.get(liveChild.id()).state(), "its parent is ACTIVE");
    Grant expired = store.get(expiring.id());
    assertEquals(GrantState.EXPIRED, expired.state());
    assertEquals(RevocationReason.EXPIRED, expired.endReason());
    for (Grant g : List.of(child, grandchild, greatGrandchild, ofAGoneParent)) {
      Grant now = store.get(g.id());
      assertEquals(GrantState.REVOKED, now.state());
      assertEquals(RevocationReason.PARENT_REVOKED, now.endReason());
      assertEquals(clock.instant(), now.endedAt(), "at now on the store's clock");
      assertEquals(g.version() + 1, now.version());
    }
    assertEquals(0, store.finishCascades(), "nothing left");
  }

  @Test
  void aReplicaSkipsTheWorkWhileAnotherHoldsItsLockAndDoesItOnceTheLockIsFree() throws Exception {
    Grant parent = grant(null, Duration.ofMinutes(30));
    Grant child = grant(parent.id(), Duration.ofMinutes(30));
    store.insert(parent);
    store.insert(child);
    revoked(parent);
    try (Connection other = TestDatabase.unpooled().getConnection()) {
      other.setAutoCommit(false);
      assertTrue(ReplicaLock.tryLock(other, schema, CascadeBatch.TASK),
          "this connection stands for a replica in the middle of a batch");
      assertEquals(0, store.finishCascades());
      assertEquals(GrantState.ACTIVE, store.get(child.id()).state());
      other.commit();
    }
    assertEquals(1, store.finishCascades());
    assertEquals(GrantState.REVOKED, store.get(child.id()).state());
  }

  @Test
  void anOrphanPastItsRetentionIsLeftToThePurge() {
    Grant parent = grant(null, Duration.ofMinutes(30));
    Grant child = grant(parent.id(), Duration.ofMinutes(30));
    store.insert(parent);
    store.insert(child);
    revoked(parent);
    clock.advance(Duration.ofHours(1).plus(PostgresGrantStore.DEFAULT_RETENTION));
    assertEquals(0, store.finishCascades());
    assertNull(store.get(child.id()));
    assertEquals(2, store.purgeEnded(), "the parent and its child, both past the retention");
  }

  @Test
  void theBackgroundWorkRacingARuntimesCascadeEndsEachDescendantOnceHeardOnceByEach()
      throws Exception {
    Replica a = replica(Consistency.STRICT);
    Replica b = replica(Consistency.CACHED);
    Grant root = a.mint(Duration.ofMinutes(5));
    List<Grant> tree = TestTrees.descendants(clock, root, 10, 10, 20); // 2,110 descendants
    TestTrees.insert(schema, tree);
    PostgresGrantStore sweeper = PostgresGrantStore.builder()
        .dataSource(TestDatabase.dataSource()).schema(schema).clock(clock).build();
    AtomicBoolean done = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Long>> sweeps = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        sweeps.add(pool.submit(() -> {
          long ended = 0;
          while (!done.get()) {
            ended += sweeper.finishCascades();
          }
          return ended;
        }));
      }
      assertTrue(a.jit.revoke(root.id(), RevocationReason.ANOMALY));
      awaitUntil(() -> TestTrees.count(schema, tree, "ACTIVE") == 0, PATIENCE, "all ended");
      done.set(true);
      for (Future<Long> sweep : sweeps) {
        sweep.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(), TestTrees.endedMoreThanOnce(schema, tree));
    List<String> expected = heardOnce(tree);
    expected.add(root.reference() + " " + RevocationReason.ANOMALY);
    expected.sort(null);
    awaitHeardOnce(expected, a);
    awaitHeardOnce(expected, b);
  }
}
