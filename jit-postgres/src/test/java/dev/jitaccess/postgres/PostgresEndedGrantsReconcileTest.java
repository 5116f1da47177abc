package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.teardown.DownstreamOptions;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.teardown.TeardownState;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * End to end on PostgreSQL: grants end on a {@link PostgresGrantStore} while no teardown listener
 * hears it (the process died before the ledger insert); a teardown on a {@link
 * PostgresTeardownLedger} reconciling over {@link PostgresEndedGrants} inserts the missing entries,
 * and the downstream is asked to revoke each grant exactly once, also when two replicas reconcile
 * at the same time.
 */
class PostgresEndedGrantsReconcileTest {
  private static final DownstreamOptions INLINE = DownstreamOptions.builder()
      .executor(Runnable::run).timeout(Duration.ofSeconds(5)).build();
  private static final Duration RETENTION = Duration.ofHours(1);

  private final FakeClock clock = new FakeClock();
  private final String grantSchema = TestDatabase.freshSchema();
  private final String ledgerSchema = TestDatabase.newSchemaName();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  private TestPool pool() {
    TestPool pool = new TestPool(TestDatabase.unpooled(), true);
    closing.add(pool::closeIdle);
    return pool;
  }

  /** A replica's grant store, on a pool of its own. */
  private PostgresGrantStore store() {
    return PostgresGrantStore.builder().dataSource(pool()).schema(grantSchema).clock(clock)
        .retention(RETENTION).build();
  }

  /** A replica's teardown, on a ledger and grant store of its own pools. */
  private Teardown replica(String id, Downstream downstream, PostgresGrantStore store,
      Duration every) {
    Teardown.Builder builder = Teardown.builder().clock(clock).scheduler(clock)
        .ledger(PostgresTeardownLedger.builder().dataSource(pool()).schema(ledgerSchema).build())
        .grants(store).instanceId(id).downstream(downstream, INLINE).auditSink(e -> { })
        .alerts(e -> { });
    if (every != null) {
      builder.reconcile(PostgresEndedGrants.of(store), every, Duration.ofHours(1));
    }
    Teardown teardown = builder.build();
    closing.add(0, teardown);
    return teardown;
  }

  /** The downstream every replica tears down in: counts the revokes of each grant. */
  private static final class Db implements Downstream {
    final Map<String, AtomicInteger> revokes = new ConcurrentHashMap<>();

    @Override
    public String name() {
      return "db";
    }

    @Override
    public TeardownResult revoke(Grant grant, RevocationReason reason) {
      revokes.computeIfAbsent(grant.reference(), r -> new AtomicInteger()).incrementAndGet();
      Thread.yield();
      return TeardownResult.done(grant.reference());
    }
  }

  /**
   * Ends {@code count} grants (half revoked, half expired) on a runtime with no teardown
   * listener, which then closes: the process that died before the ledger inserts.
   */
  private List<Grant> endUnheard(int count) {
    List<Grant> ended = new ArrayList<>();
    PostgresGrantStore store = store();
    try (JitAccess dying = JitAccess.builder().clock(clock).scheduler(clock).store(store)
        .auditSink(e -> { }).build()) {
      List<Grant> expiring = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        boolean revoke = i % 2 == 0;
        Grant g = dying.request(GrantRequest.builder().subject("agent-" + i)
            .owner("team-payments").task("task-" + i).purpose("rotate the payments keys")
            .scope("write:db/payments")
            .ttl(Ttl.of(Duration.ofMinutes(revoke ? 30 : 10))).build());
        if (revoke) {
          dying.revoke(g.id(), RevocationReason.TASK_COMPLETED);
        } else {
          expiring.add(g);
        }
        ended.add(g);
      }
      clock.advance(Duration.ofMinutes(11));
      for (Grant g : expiring) {
        assertEquals(GrantState.EXPIRED, store.get(g.id()).state());
      }
    }
    return ended;
  }

  private void assertTornDownOnce(List<Grant> ended, Db db) {
    PostgresTeardownLedger ledger =
        PostgresTeardownLedger.builder().dataSource(pool()).schema(ledgerSchema).build();
    for (Grant g : ended) {
      TeardownEntry entry = ledger.get(g.id(), "db");
      assertNotNull(entry, "an entry for " + g.reference());
      assertEquals(TeardownState.REVOKED, entry.state(), String.valueOf(entry));
      AtomicInteger revokes = db.revokes.get(g.reference());
      assertEquals(1, revokes == null ? 0 : revokes.get(), "revokes of " + g.reference());
    }
    assertEquals(ended.size(), db.revokes.size());
  }

  @Test
  void theTimedSweepInsertsTheEntriesOfGrantsThatEndedUnheardAndRevokesEachOnce() {
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), ledgerSchema);
    List<Grant> ended = endUnheard(6);
    PostgresTeardownLedger ledger =
        PostgresTeardownLedger.builder().dataSource(pool()).schema(ledgerSchema).build();
    for (Grant g : ended) {
      assertNull(ledger.get(g.id(), "db"), "no teardown heard the end");
    }
    Db db = new Db();
    replica("replica-b", db, store(), Duration.ofMinutes(1));
    clock.advance(Duration.ZERO); // the first sweep, at once
    assertTornDownOnce(ended, db);
    clock.advance(Duration.ofMinutes(5)); // five more sweeps find every entry
    assertTornDownOnce(ended, db);
  }

  @Test
  void twoReplicasReconcilingAtOnceRevokeEachGrantExactlyOnce() throws Exception {
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), ledgerSchema);
    Instant since = clock.instant();
    List<Grant> ended = endUnheard(40);
    Db db = new Db();
    PostgresGrantStore storeA = store();
    PostgresGrantStore storeB = store();
    Teardown a = replica("replica-a", db, storeA, null);
    Teardown b = replica("replica-b", db, storeB, null);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch go = new CountDownLatch(1);
      Future<Integer> byA = threads.submit(() -> {
        go.await();
        return a.reconcile(PostgresEndedGrants.of(storeA), since);
      });
      Future<Integer> byB = threads.submit(() -> {
        go.await();
        return b.reconcile(PostgresEndedGrants.of(storeB), since);
      });
      go.countDown();
      int handed = byA.get(60, TimeUnit.SECONDS) + byB.get(60, TimeUnit.SECONDS);
      assertTrue(handed >= ended.size(), "every grant was handed over at least once");
    } finally {
      threads.shutdownNow();
    }
    assertTornDownOnce(ended, db);
    assertEquals(0, a.reconcile(PostgresEndedGrants.of(storeA), since), "nothing left");
    assertEquals(0, b.reconcile(PostgresEndedGrants.of(storeB), since), "nothing left");
    assertTornDownOnce(ended, db);
  }
}
