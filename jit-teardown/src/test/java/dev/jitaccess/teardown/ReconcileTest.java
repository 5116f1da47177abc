package dev.jitaccess.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.teardown.spi.EndedGrants;
import dev.jitaccess.teardown.spi.TeardownLedger;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The reconciliation sweep: grants that ended while no teardown listener heard them still get
 * their ledger entries, once, and are torn down.
 */
class ReconcileTest {
  private final FakeClock clock = new FakeClock();
  private final InMemoryGrantStore grants =
      InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
  /** A runtime with no teardown listener: its ends are heard by nobody. */
  private final JitAccess unheard =
      JitAccess.builder().clock(clock).scheduler(clock).store(grants).build();

  private Grant grant(String subject) {
    return unheard.request(GrantRequest.builder().subject(subject).owner("team-payments")
        .task("task-" + subject).purpose("rotate the payments keys").scope("write:db/payments")
        .ttl(Ttl.of(Duration.ofMinutes(30))).build());
  }

  private Teardown.Builder teardown(TeardownLedger ledger, ScriptedDownstream... downstreams) {
    Teardown.Builder b = Teardown.builder().clock(clock).scheduler(clock).ledger(ledger)
        .grants(grants).auditSink(e -> { }).instanceId("replica-b");
    for (ScriptedDownstream d : downstreams) {
      b.downstream(d, Rig.INLINE);
    }
    return b;
  }

  @Test
  void aSweepInsertsTheEntriesOfGrantsWhoseEndNoListenerHeardOnceAndTearsThemDown() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock);
    ScriptedDownstream iam = new ScriptedDownstream("iam", clock);
    InMemoryTeardownLedger ledger = new InMemoryTeardownLedger();
    try (Teardown teardown = teardown(ledger, db, iam).build()) {
      Instant since = clock.instant();
      Grant revoked = grant("alice");
      Grant expired = grant("bob");
      Grant live = grant("carol");
      clock.advance(Duration.ofMinutes(29));
      unheard.revoke(revoked.id(), RevocationReason.TASK_COMPLETED);
      unheard.revoke(live.id(), RevocationReason.MANUAL);
      clock.advance(Duration.ofMinutes(1).plusSeconds(1)); // bob's expires
      assertEquals(0, ledger.size(), "nobody heard these ends");

      assertEquals(3, teardown.reconcile(EndedGrants.of(grants), since));
      for (Grant g : List.of(revoked, expired, live)) {
        for (TeardownEntry e : teardown.entries(g.id())) {
          assertEquals(TeardownState.VERIFIED, e.state(), e.toString());
        }
        assertEquals(2, teardown.entries(g.id()).size());
      }
      assertEquals(RevocationReason.EXPIRED,
          teardown.entries(expired.id()).get(0).endReason());
      assertEquals(0, teardown.reconcile(EndedGrants.of(grants), since), "idempotent");
      assertEquals(3, db.revokes());
      assertEquals(3, iam.revokes());
    }
  }

  @Test
  void aGrantWithAnEntryAtOnlySomeDownstreamsGetsTheMissingOnesAndTheOthersAreLeftAlone() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock);
    ScriptedDownstream iam = new ScriptedDownstream("iam", clock);
    InMemoryTeardownLedger ledger = new InMemoryTeardownLedger();
    try (Teardown teardown = teardown(ledger, db, iam).build()) {
      Grant grant = grant("alice");
      unheard.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      Grant ended = grants.get(grant.id());
      Instant now = clock.instant();
      ledger.insert(TeardownEntry.builder(ended, "db").state(TeardownState.CLOSED).createdAt(now)
          .updatedAt(now).actor("dba-ann").cause("removed by hand").build());

      assertEquals(1, teardown.reconcile(EndedGrants.of(grants), now));
      assertEquals(TeardownState.CLOSED, ledger.get(grant.id(), "db").state());
      assertEquals(TeardownState.VERIFIED, ledger.get(grant.id(), "iam").state());
      assertEquals(0, db.revokes(), "the entry that existed is not touched");
    }
  }

  @Test
  void theTimedSweepFindsAnUnheardEndWithinItsIntervalOnTheClock() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock);
    InMemoryTeardownLedger ledger = new InMemoryTeardownLedger();
    try (Teardown teardown = teardown(ledger, db)
        .reconcile(EndedGrants.of(grants), Duration.ofMinutes(1), Duration.ofHours(1)).build()) {
      clock.advance(Duration.ZERO); // the first sweep, at once: nothing has ended yet
      Grant grant = grant("alice");
      unheard.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      assertEquals(0, ledger.size());
      clock.advance(Duration.ofSeconds(59));
      assertEquals(0, ledger.size(), "not before the next sweep");
      clock.advance(Duration.ofSeconds(1));
      assertEquals(TeardownState.VERIFIED, ledger.get(grant.id(), "db").state());
      clock.advance(Duration.ofMinutes(10));
      assertEquals(1, db.revokes(), "later sweeps leave it alone");
    }
  }

  @Test
  void aCrashBetweenTheEndAndTheInsertIsRepairedByTheNextProcessesSweep() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock);
    InMemoryTeardownLedger durable = new InMemoryTeardownLedger();
    AtomicBoolean down = new AtomicBoolean(true);
    TeardownLedger failing = new ForwardingLedger(durable) {
      @Override
      public boolean insert(TeardownEntry entry) {
        if (down.get()) {
          throw new IllegalStateException("connection reset");
        }
        return super.insert(entry);
      }
    };
    // The first process's timers die with it: its insert retry never runs.
    Teardown first = Teardown.builder().clock(clock).scheduler((task, delay) -> () -> { })
        .ledger(failing).auditSink(e -> { }).instanceId("replica-a").downstream(db, Rig.INLINE)
        .build();
    JitAccess heard = JitAccess.builder().clock(clock).scheduler(clock).store(grants)
        .listener(first.listener()).build();
    Grant grant = heard.request(GrantRequest.builder().subject("alice").owner("team-payments")
        .task("t").purpose("p").scope("write:db/payments").ttl(Ttl.of(Duration.ofMinutes(30)))
        .build());
    heard.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    first.close(); // the process dies before its insert retry; the end is in the store only
    heard.close();
    down.set(false);
    clock.advance(Duration.ofMinutes(2));
    assertEquals(0, durable.size());

    try (Teardown next = teardown(durable, db)
        .reconcile(EndedGrants.of(grants), Duration.ofMinutes(1), Duration.ofHours(1)).build()) {
      clock.advance(Duration.ZERO);
      clock.advance(Duration.ofMinutes(1));
      assertEquals(TeardownState.VERIFIED, durable.get(grant.id(), "db").state());
      assertEquals(1, db.revokes());
      assertTrue(next.lingering(Duration.ZERO).isEmpty());
    }
  }

  @Test
  void aLookBackShorterThanTheIntervalOrNotShorterThanTheRetentionIsRefused() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock);
    EndedGrants source = EndedGrants.of(grants);
    IllegalArgumentException shorter = assertThrows(IllegalArgumentException.class,
        () -> teardown(new InMemoryTeardownLedger(), db)
            .reconcile(source, Duration.ofMinutes(5), Duration.ofMinutes(1)));
    assertEquals("reconcile.lookBack must be >= reconcile.every (PT5M), was PT1M",
        shorter.getMessage());
    IllegalArgumentException longer = assertThrows(IllegalArgumentException.class,
        () -> teardown(new InMemoryTeardownLedger(), db).settledRetention(Duration.ofHours(1))
            .reconcile(source, Duration.ofMinutes(1), Duration.ofHours(1)).build());
    assertTrue(longer.getMessage().startsWith("reconcile.lookBack must be < settledRetention"),
        longer.getMessage());
  }

  @Test
  void theInMemorySourceRefusesALimitThatIsNotPositive() {
    EndedGrants source = EndedGrants.of(grants);
    for (int limit : new int[] {0, -1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> source.endedSince(Instant.EPOCH, null, limit));
      assertEquals("limit must be > 0, was " + limit, e.getMessage());
    }
  }
}
