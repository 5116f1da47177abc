package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.teardown.DownstreamOptions;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.teardown.TeardownState;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.teardown.spi.EndedGrants;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * On the PostgreSQL ledger: the reconciliation sweep repairs a crash between a grant's end and its
 * ledger insert, and RETAINED entries are re-checked and never listed as lingering.
 */
class TeardownReconcileTest {
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

  private PostgresTeardownLedger ledger() {
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    TestPool pool = new TestPool(TestDatabase.unpooled(), true);
    closing.add(pool::closeIdle);
    return PostgresTeardownLedger.builder().dataSource(pool).schema(schema).build();
  }

  /** Revokes with a role name as the entitlement every grant gives; counts calls. */
  private static final class Roles implements Downstream {
    final AtomicInteger revokes = new AtomicInteger();

    @Override
    public String name() {
      return "db";
    }

    @Override
    public TeardownResult revoke(Grant grant, RevocationReason reason) {
      revokes.incrementAndGet();
      return TeardownResult.done(grant.reference());
    }

    @Override
    public Optional<String> entitlement(Grant grant) {
      return Optional.of("role:payments-writer");
    }
  }

  private static Grant grant(JitAccess jit, String subject) {
    return jit.request(GrantRequest.builder().subject(subject).owner("team-payments")
        .task("task-" + subject).purpose("rotate the payments keys").scope("write:db/payments")
        .ttl(Ttl.of(Duration.ofMinutes(30))).build());
  }

  @Test
  void aGrantWhoseProcessDiedBetweenItsEndAndTheInsertIsTornDownByTheNextProcessesSweep() {
    Roles db = new Roles();
    PostgresTeardownLedger ledger = ledger();
    // The first process: its runtime ends the grant in the store, then dies before any insert
    // (no teardown listener heard it).
    JitAccess dying = JitAccess.builder().clock(clock).scheduler(clock).store(grants)
        .auditSink(e -> { }).build();
    Grant grant = grant(dying, "alice");
    dying.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    dying.close();
    assertEquals(List.of(), ledger.entriesOf(grant.id()));

    Teardown next = Teardown.builder().clock(clock).scheduler(clock).ledger(ledger)
        .grants(grants).instanceId("replica-b").downstream(db, INLINE).auditSink(e -> { })
        .reconcile(EndedGrants.of(grants), Duration.ofMinutes(1), Duration.ofHours(1)).build();
    closing.add(0, next);
    clock.advance(Duration.ZERO); // the first sweep, at once
    TeardownEntry entry = ledger.get(grant.id(), "db");
    assertEquals(TeardownState.REVOKED, entry.state(), String.valueOf(entry));
    assertEquals(1, db.revokes.get());
    clock.advance(Duration.ofMinutes(3));
    assertEquals(1, db.revokes.get(), "later sweeps find its entry: no second insert");
    assertEquals(0, next.reconcile(EndedGrants.of(grants),
        grants.get(grant.id()).endedAt()), "idempotent");
  }

  @Test
  void aRetainedEntryIsNotLingeringAndIsReopenedWhenItsKeeperEndsUnheard() {
    Roles db = new Roles();
    PostgresTeardownLedger ledger = ledger();
    Teardown teardown = Teardown.builder().clock(clock).scheduler(clock).ledger(ledger)
        .grants(grants).instanceId("replica-a").downstream(db, INLINE).auditSink(e -> { })
        .build();
    closing.add(0, teardown);
    JitAccess jit = JitAccess.builder().clock(clock).scheduler(clock).store(grants)
        .auditSink(e -> { }).listener(teardown.listener()).build();
    closing.add(jit);
    Grant first = grant(jit, "alice");
    Grant keeper = grant(jit, "alice");
    jit.revoke(first.id(), RevocationReason.TASK_COMPLETED);
    TeardownEntry retained = ledger.get(first.id(), "db");
    assertEquals(TeardownState.RETAINED, retained.state());
    assertEquals(keeper.reference(), retained.retainedBy());
    assertTrue(ledger.lingering(clock.instant(), 10).isEmpty(), "retained access is needed");

    try (JitAccess unheard = JitAccess.builder().clock(clock).scheduler(clock).store(grants)
        .auditSink(e -> { }).build()) {
      unheard.revoke(keeper.id(), RevocationReason.MANUAL);
    }
    clock.advance(Teardown.Builder.DEFAULT_RETAINED_RECHECK.plus(Duration.ofMinutes(1)));
    TeardownEntry reopened = ledger.get(first.id(), "db");
    assertEquals(TeardownState.REVOKED, reopened.state(), String.valueOf(reopened));
    assertFalse(reopened.isLingering());
    assertEquals(1, db.revokes.get());
  }
}
