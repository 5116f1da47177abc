package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.teardown.DownstreamOptions;
import dev.jitaccess.teardown.Probe;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.teardown.TeardownState;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
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
 * Teardown replicas, each on a pool of its own, sharing one PostgreSQL ledger: one that stops
 * mid-ladder has its entry finished by another once the lease passes, and replicas claiming the
 * same due entries at once work each exactly once.
 */
class TeardownReplicasTest {
  private static final DownstreamOptions INLINE = DownstreamOptions.builder()
      .executor(Runnable::run).timeout(Duration.ofSeconds(5)).build();

  private final FakeClock clock = new FakeClock();
  private final String schema = TestDatabase.newSchemaName();
  private final InMemoryGrantStore grants =
      InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
  }

  /** A ledger on a pool of its own, as a replica's. */
  private PostgresTeardownLedger ledger() {
    TestPool pool = new TestPool(TestDatabase.unpooled(), true);
    closing.add(pool::closeIdle);
    return PostgresTeardownLedger.builder().dataSource(pool).schema(schema).build();
  }

  private Teardown replica(String id, Downstream downstream, DownstreamOptions options) {
    Teardown t = Teardown.builder().clock(clock).scheduler(clock).ledger(ledger()).grants(grants)
        .instanceId(id).downstream(downstream, options).auditSink(e -> { }).alerts(e -> { })
        .build();
    closing.add(0, t);
    return t;
  }

  private JitAccess runtime(Teardown teardown) {
    JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).store(grants)
        .auditSink(e -> { }).listener(teardown.listener()).build();
    closing.add(jit);
    return jit;
  }

  private static Grant grant(JitAccess jit, String subject) {
    return jit.request(GrantRequest.builder().subject(subject).owner("team-payments")
        .task("task-" + subject).purpose("rotate the payments keys").scope("write:db/payments")
        .ttl(Ttl.of(Duration.ofMinutes(30))).build());
  }

  /** A downstream that asks to retry {@code retries} times per grant, then revokes. */
  private static final class Flaky implements Downstream {
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    final AtomicInteger overlaps = new AtomicInteger();
    private final int retries;

    Flaky(int retries) {
      this.retries = retries;
    }

    @Override
    public String name() {
      return "db";
    }

    @Override
    public TeardownResult revoke(Grant grant, RevocationReason reason) {
      AtomicInteger now = inFlight.computeIfAbsent(grant.reference(), r -> new AtomicInteger());
      if (now.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      int call = calls.computeIfAbsent(grant.reference(), r -> new AtomicInteger())
          .incrementAndGet();
      Thread.yield();
      now.decrementAndGet();
      return call <= retries ? TeardownResult.retry(grant.reference())
          : TeardownResult.done(grant.reference());
    }

    @Override
    public Probe verify(Grant grant) {
      return Probe.DENIED;
    }
  }

  @Test
  void aReplicaThatStopsMidLadderHasItsEntryFinishedByAnotherOnceTheLeasePasses() {
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    Flaky db = new Flaky(3);
    Teardown a = replica("replica-a", db, INLINE);
    Teardown b = replica("replica-b", db, INLINE);
    JitAccess jit = runtime(a);
    Grant grant = grant(jit, "ci-job-1");
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    clock.advance(Duration.ofSeconds(13)); // attempt 2, by replica-a
    TeardownEntry midway = a.entries(grant.id()).get(0);
    assertEquals(2, midway.attempts());
    assertEquals("replica-a", midway.leaseOwner());

    a.close(); // replica-a stops: no release, as if it crashed
    clock.setTo(midway.leaseUntil().minusSeconds(1));
    assertEquals(0, b.runDue(), "leased to replica-a until the lease passes");
    assertEquals(2, b.entries(grant.id()).get(0).attempts());

    clock.advance(Duration.ofMinutes(10)); // replica-b's poll claims it, then its ladder
    TeardownEntry entry = b.entries(grant.id()).get(0);
    assertEquals(TeardownState.VERIFIED, entry.state());
    assertEquals(4, entry.attempts(), "the ladder goes on where replica-a left it");
    assertNull(entry.leaseOwner());
    assertEquals(4, db.calls.get(grant.reference()).get());
  }

  @Test
  void twoReplicasClaimingFourHundredDueEntriesAtOnceWorkEachExactlyOnce() throws Exception {
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    int count = 400;
    Flaky db = new Flaky(0);
    Teardown writer = replica("replica-a", db, INLINE);
    writer.close(); // its listener now writes unleased entries, claimable by anyone
    JitAccess jit = runtime(writer);
    List<Grant> ended = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Grant g = grant(jit, "job-" + i);
      jit.revoke(g.id(), RevocationReason.TASK_COMPLETED);
      ended.add(g);
    }
    Teardown b = replica("replica-b", db, INLINE);
    Teardown c = replica("replica-c", db, INLINE);
    ExecutorService pollers = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Integer>> claimed = new ArrayList<>();
      for (Teardown t : List.of(b, c)) {
        claimed.add(pollers.submit(() -> {
          start.await();
          int total = 0;
          int got;
          do {
            got = t.runDue();
            total += got;
          } while (got > 0);
          return total;
        }));
      }
      start.countDown();
      int byB = claimed.get(0).get(60, TimeUnit.SECONDS);
      int byC = claimed.get(1).get(60, TimeUnit.SECONDS);
      assertEquals(count, byB + byC, "every entry claimed once");
    } finally {
      pollers.shutdownNow();
    }
    assertEquals(0, db.overlaps.get(), "no grant was worked by two replicas at once");
    for (Grant g : ended) {
      assertEquals(1, db.calls.get(g.reference()).get());
      TeardownEntry e = b.entries(g.id()).get(0);
      assertEquals(TeardownState.VERIFIED, e.state());
      assertEquals(1, e.attempts());
    }
  }
}
