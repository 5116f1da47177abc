package dev.jitaccess.teardown;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A RETAINED entry waits for another live grant of its subject; it goes back to PENDING, and is
 * torn down, once that grant has ended: at once when the teardown hears the end, at the next
 * periodic re-check when it does not.
 */
class RetainedRecheckTest {
  private static final String ROLE = "role:payments-writer";
  private final FakeClock clock = new FakeClock();
  private final ScriptedDownstream db = new ScriptedDownstream("db", clock)
      .entitlement(g -> Optional.of(ROLE));

  @Test
  void whileTheKeeperLivesEachRecheckKeepsTheEntryRetainedAndRemovesNothing() {
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db),
        b -> b.retainedRecheck(Duration.ofMinutes(5)))) {
      Grant first = rig.grant("alice");
      Grant keeper = rig.grant("alice");
      rig.jit.revoke(first.id(), RevocationReason.TASK_COMPLETED);
      TeardownEntry retained = rig.entry(first, "db");
      assertEquals(TeardownState.RETAINED, retained.state());
      assertEquals(clock.instant().plus(Duration.ofMinutes(5)), retained.dueAt());

      clock.advance(Duration.ofMinutes(12));
      TeardownEntry still = rig.entry(first, "db");
      assertEquals(TeardownState.RETAINED, still.state());
      assertEquals(keeper.reference(), still.retainedBy());
      assertFalse(still.dueAt().isBefore(clock.instant()), "the next re-check is ahead");
      assertFalse(still.isLingering());
      assertEquals(0, db.revokes());
      assertEquals(List.of(), rig.teardown.lingering(Duration.ZERO));
    }
  }

  @Test
  void theKeepersHeardEndRechecksTheRetainedEntryAtOnce() {
    try (Rig rig = Rig.of(clock, db)) {
      Grant first = rig.grant("alice");
      Grant keeper = rig.grant("alice");
      rig.jit.revoke(first.id(), RevocationReason.TASK_COMPLETED);
      assertEquals(TeardownState.RETAINED, rig.entry(first, "db").state());

      rig.jit.revoke(keeper.id(), RevocationReason.TASK_COMPLETED);
      assertEquals(TeardownState.VERIFIED, rig.entry(keeper, "db").state());
      TeardownEntry reopened = rig.entry(first, "db");
      assertEquals(TeardownState.VERIFIED, reopened.state(), "PENDING again, then torn down");
      assertEquals(1, reopened.attempts());
      assertEquals(2, db.revokes());
    }
  }

  @Test
  void aKeeperThatEndsUnheardIsNoticedByThePeriodicRecheck() {
    try (Rig rig = Rig.of(clock, db)) {
      Grant first = rig.grant("alice");
      Grant keeper = rig.grant("alice");
      rig.jit.revoke(first.id(), RevocationReason.TASK_COMPLETED);
      assertEquals(TeardownState.RETAINED, rig.entry(first, "db").state());
      // Another runtime on the same store, with no teardown listener, ends the keeper.
      try (JitAccess elsewhere = JitAccess.builder().clock(clock).scheduler(clock)
          .store(rig.grants).build()) {
        elsewhere.revoke(keeper.id(), RevocationReason.MANUAL);
      }
      clock.advance(Duration.ofMinutes(1));
      assertEquals(TeardownState.RETAINED, rig.entry(first, "db").state(), "not yet re-checked");
      assertEquals(0, db.revokes());

      clock.advance(Teardown.Builder.DEFAULT_RETAINED_RECHECK);
      TeardownEntry reopened = rig.entry(first, "db");
      assertEquals(TeardownState.VERIFIED, reopened.state());
      assertEquals(1, db.revokes(), "the entitlement is removed though the keeper's end was not "
          + "heard");
    }
  }

  @Test
  void aKeeperWhoseOwnTeardownIsDelayedDoesNotHoldTheRetainedEntry() {
    ScriptedDownstream slowDb = new ScriptedDownstream("db", clock)
        .entitlement(g -> Optional.of(ROLE));
    try (Rig rig = Rig.of(clock, slowDb)) {
      Grant first = rig.grant("alice");
      Grant keeper = rig.grant("alice");
      rig.jit.revoke(first.id(), RevocationReason.TASK_COMPLETED);
      slowDb.answers(ScriptedDownstream.Answer.RETRY, ScriptedDownstream.Answer.RETRY);
      rig.jit.revoke(keeper.id(), RevocationReason.TASK_COMPLETED);
      // The keeper's own teardown was refused (retried on its ladder); the first entry is
      // re-checked at once, PENDING again, and its own attempt goes through the ladder too.
      assertEquals(TeardownState.PENDING, rig.entry(keeper, "db").state());
      assertEquals(TeardownState.PENDING, rig.entry(first, "db").state());
      clock.advance(Duration.ofMinutes(1));
      assertEquals(TeardownState.VERIFIED, rig.entry(keeper, "db").state());
      assertEquals(TeardownState.VERIFIED, rig.entry(first, "db").state());
    }
  }
}
