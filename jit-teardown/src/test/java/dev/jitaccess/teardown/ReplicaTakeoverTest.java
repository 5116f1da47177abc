package dev.jitaccess.teardown;

import static dev.jitaccess.teardown.ScriptedDownstream.Answer.DONE;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Several teardown instances on one ledger: one works an entry at a time, and one that stops has
 * its entries finished by another once their leases pass.
 */
class ReplicaTakeoverTest {
  private final FakeClock clock = new FakeClock();
  private final EventLog replicaB = new EventLog();
  private final List<TeardownEntry> alertsB = Collections.synchronizedList(new ArrayList<>());

  private Teardown replica(Rig rig, String id, Downstream downstream, DownstreamOptions options) {
    return Teardown.builder().clock(clock).scheduler(clock).ledger(rig.ledger).grants(rig.grants)
        .instanceId(id).downstream(downstream, options).auditSink(replicaB)
        .alerts(alertsB::add).build();
  }

  @Test
  void aReplicaThatStopsMidLadderHasItsEntryFinishedByAnotherOnceTheLeasePasses() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).answers(RETRY, RETRY, RETRY,
        DONE);
    try (Rig rig = Rig.of(clock, db)) {
      Teardown b = replica(rig, "replica-b", db, Rig.INLINE);
      try {
        Grant grant = rig.grant("ci-job-1");
        rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
        clock.advance(Duration.ofSeconds(13)); // attempt 2, by replica-a
        TeardownEntry midway = rig.entry(grant, "db");
        assertEquals(2, midway.attempts());
        assertEquals("replica-a", midway.leaseOwner());

        rig.teardown.close(); // replica-a stops: no release, as if it crashed
        clock.setTo(midway.leaseUntil().minusSeconds(1)); // replica-b polls meanwhile
        assertEquals(2, rig.entry(grant, "db").attempts(), "leased to replica-a until it passes");
        assertEquals(0, b.runDue());

        clock.advance(Duration.ofMinutes(10)); // replica-b's poll claims it, then its ladder
        TeardownEntry entry = rig.entry(grant, "db");
        assertEquals(TeardownState.VERIFIED, entry.state());
        assertEquals(4, entry.attempts(), "the ladder goes on where replica-a left it");
        assertNull(entry.leaseOwner());
        assertEquals(4, db.revokes());
        assertEquals(1, replicaB.count(e -> e.type() == AuditEventType.TEARDOWN_VERIFIED
            && e.concerns(grant.id())), "replica-b recorded the verification");
      } finally {
        b.close();
      }
    }
  }

  @Test
  void aLiveReplicasLeasedEntriesAreNotClaimedByAnother() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).otherwise(RETRY);
    try (Rig rig = Rig.of(clock, db)) {
      Teardown b = replica(rig, "replica-b", db, Rig.INLINE);
      try {
        Grant grant = rig.grant("ci-job-1");
        rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
        clock.advance(Duration.ofHours(2)); // the whole ladder, and many polls of replica-b
        TeardownEntry entry = rig.entry(grant, "db");
        assertEquals(TeardownState.IRREVOCABLE, entry.state());
        assertEquals("replica-a", entry.leaseOwner());
        assertEquals(6, db.revokes());
        assertTrue(alertsB.isEmpty());
        assertTrue(replicaB.events().isEmpty());
      } finally {
        b.close();
      }
    }
  }

  @Test
  void whenEveryReplicaHearsOfAGrantsEndOnlyTheFirstToInsertWorksIt() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock);
    try (Rig rig = Rig.of(clock, db)) {
      Teardown b = replica(rig, "replica-b", db, Rig.INLINE);
      try {
        Grant grant = rig.grant("ci-job-1");
        rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
        b.listener().onRevocation(rig.grants.get(grant.id()), RevocationReason.TASK_COMPLETED);
        assertEquals(1, db.revokes());
        assertEquals(TeardownState.VERIFIED, rig.entry(grant, "db").state());
      } finally {
        b.close();
      }
    }
  }

  @Test
  void replicasClaimingTheSameDueEntriesAtOnceWorkEachExactlyOnce() throws Exception {
    int grants = 400;
    Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    AtomicInteger overlaps = new AtomicInteger();
    Downstream counting = new Downstream() {
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
        calls.computeIfAbsent(grant.reference(), r -> new AtomicInteger()).incrementAndGet();
        Thread.yield();
        now.decrementAndGet();
        return TeardownResult.done(grant.reference());
      }

      @Override
      public Probe verify(Grant grant) {
        return Probe.DENIED;
      }
    };
    DownstreamOptions own = DownstreamOptions.builder().timeout(Duration.ofSeconds(30)).build();
    try (Rig rig = Rig.of(clock, counting)) {
      rig.teardown.close(); // its listener now writes unleased entries, claimable by anyone
      List<Grant> ended = new ArrayList<>();
      for (int i = 0; i < grants; i++) {
        Grant g = rig.grant("job-" + i);
        rig.jit.revoke(g.id(), RevocationReason.TASK_COMPLETED);
        ended.add(g);
      }
      Teardown b = replica(rig, "replica-b", counting, own);
      Teardown c = replica(rig, "replica-c", counting, own);
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
        int total = claimed.get(0).get(30, TimeUnit.SECONDS)
            + claimed.get(1).get(30, TimeUnit.SECONDS);
        assertEquals(grants, total, "every entry claimed once");
        replicaB.await(e -> e.type() == AuditEventType.TEARDOWN_VERIFIED, grants);
        assertEquals(0, overlaps.get(), "no grant was worked by two replicas at once");
        for (Grant g : ended) {
          assertEquals(1, calls.get(g.reference()).get());
          TeardownEntry e = rig.entry(g, "db");
          assertEquals(TeardownState.VERIFIED, e.state());
          assertEquals(1, e.attempts());
        }
      } finally {
        pollers.shutdownNow();
        b.close();
        c.close();
      }
    }
  }
}
