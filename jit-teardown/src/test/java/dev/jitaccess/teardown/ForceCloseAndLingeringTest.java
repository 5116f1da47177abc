package dev.jitaccess.teardown;

import static dev.jitaccess.AuditEventType.TEARDOWN_CLOSED;
import static dev.jitaccess.AuditEventType.TEARDOWN_IRREVOCABLE;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.RETRY;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.UNRECOVERABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Closing an entry by force needs a reason, is audited, and ends its attempts; lingering. */
class ForceCloseAndLingeringTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void anIrrevocableEntryClosedByForceIsAuditedWithItsActorAndReasonAndNeverAttemptedAgain() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).answers(UNRECOVERABLE);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      TeardownEntry closed = rig.teardown.forceClose(grant.id(), "db",
          "role removed by hand in the console, INC-7", "dba-ann");

      assertEquals(TeardownState.CLOSED, closed.state());
      assertEquals("dba-ann", closed.actor());
      assertEquals("role removed by hand in the console, INC-7", closed.cause());
      assertNull(closed.dueAt());
      assertEquals(closed, rig.entry(grant, "db"));
      assertEquals(List.of(TEARDOWN_IRREVOCABLE, TEARDOWN_CLOSED), rig.teardownEvents(grant));
      AuditEvent event = rig.log.events().stream().filter(e -> e.type() == TEARDOWN_CLOSED)
          .findFirst().orElseThrow();
      assertEquals("dba-ann", event.actor());
      assertEquals("db", event.resource());
      assertEquals(grant.reference(), event.grantRef());
      assertTrue(event.detail().contains("reason=role removed by hand"), event.detail());
      assertFalse(event.toString().contains(grant.id()));

      clock.advance(Duration.ofDays(3));
      assertEquals(1, db.revokes(), "no attempt after a close");
      assertTrue(rig.teardown.lingering(Duration.ZERO).isEmpty());
    }
  }

  @Test
  void aCloseNeedsAReasonAndAnActor() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).otherwise(RETRY);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      IllegalArgumentException blank = assertThrows(IllegalArgumentException.class,
          () -> rig.teardown.forceClose(grant.id(), "db", "  ", "dba-ann"));
      assertEquals("reason must not be blank", blank.getMessage());
      assertThrows(NullPointerException.class,
          () -> rig.teardown.forceClose(grant.id(), "db", "done by hand", null));
      assertThrows(IllegalArgumentException.class,
          () -> rig.teardown.forceClose(grant.id(), "db", "done\nforged", "dba-ann"));
      assertEquals(TeardownState.PENDING, rig.entry(grant, "db").state());
    }
  }

  @Test
  void aVerifiedEntryCannotBeClosedAndAnUnknownOneIsNamedByReference() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      TeardownStateException verified = assertThrows(TeardownStateException.class,
          () -> rig.teardown.forceClose(grant.id(), "db", "by hand", "dba-ann"));
      assertEquals(TeardownState.VERIFIED, verified.state());
      assertEquals("teardown entry of grant " + grant.reference()
          + " at downstream db must not be VERIFIED to close it", verified.getMessage());

      IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
          () -> rig.teardown.forceClose(grant.id(), "iam", "by hand", "dba-ann"));
      assertEquals("no teardown entry for grant " + grant.reference() + " at downstream iam",
          unknown.getMessage());
      assertFalse(unknown.getMessage().contains(grant.id()));
    }
  }

  @Test
  void aRetainedEntryMayBeClosedByForce() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock)
        .entitlement(g -> java.util.Optional.of("role:writer"));
    try (Rig rig = Rig.of(clock, db)) {
      Grant first = rig.grant("alice");
      Grant second = rig.grant("alice");
      rig.jit.revoke(first.id(), RevocationReason.TASK_COMPLETED);
      TeardownEntry closed = rig.teardown.forceClose(first.id(), "db", "reviewed", "lead-lee");
      assertEquals(TeardownState.CLOSED, closed.state());
      assertNull(closed.retainedBy());
      rig.jit.revoke(second.id(), RevocationReason.TASK_COMPLETED);
    }
  }

  @Test
  void lingeringListsTheEntriesNotConfirmedPastTheDeadlineWithTheirOwners() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).otherwise(RETRY);
    ScriptedDownstream iam = new ScriptedDownstream("iam", clock);
    try (Rig rig = Rig.of(clock, db, iam)) {
      Grant old = rig.grant("ci-job-1");
      rig.jit.revoke(old.id(), RevocationReason.TASK_COMPLETED);
      clock.advance(Duration.ofMinutes(20));
      Grant recent = rig.grant("ci-job-2");
      rig.jit.revoke(recent.id(), RevocationReason.TASK_COMPLETED);
      clock.advance(Duration.ofMinutes(1));

      List<TeardownEntry> lingering = rig.teardown.lingering(Duration.ofMinutes(15));
      assertEquals(1, lingering.size());
      TeardownEntry e = lingering.get(0);
      assertEquals(old.reference(), e.grantReference());
      assertEquals("db", e.downstream());
      assertEquals("team-payments", e.owner());
      assertEquals(TeardownState.IRREVOCABLE, e.state());
      assertEquals(2, rig.teardown.lingering(Duration.ZERO).size(), "iam was verified");
      assertEquals(1, rig.teardown.lingering(Duration.ZERO, 1).size());
      assertThrows(IllegalArgumentException.class,
          () -> rig.teardown.lingering(Duration.ofMinutes(-1)));
    }
  }

  @Test
  void entriesOfAGrantAreListedByDownstreamAndShowOnlyItsReference() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock);
    ScriptedDownstream iam = new ScriptedDownstream("iam", clock).otherwise(RETRY);
    try (Rig rig = Rig.of(clock, iam, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      List<TeardownEntry> entries = rig.teardown.entries(grant.id());
      assertEquals(List.of("db", "iam"), entries.stream().map(TeardownEntry::downstream).toList());
      for (TeardownEntry e : entries) {
        assertFalse(e.toString().contains(grant.id()), e.toString());
        assertTrue(e.toString().contains(grant.reference()));
      }
      for (AuditEvent event : rig.log.events()) {
        assertFalse(event.toString().contains(grant.id()));
      }
      assertTrue(rig.teardown.entries("no-such-grant-0000000000").isEmpty());
    }
  }

  @Test
  void anAttemptRunningWhenTheEntryIsClosedIsNotRecorded() throws Exception {
    ScriptedDownstream db = new ScriptedDownstream("db", clock)
        .answers(ScriptedDownstream.Answer.HANG);
    ExecutorService lane = Executors.newSingleThreadExecutor();
    DownstreamOptions options = DownstreamOptions.builder().executor(lane).build();
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db),
        b -> b.downstream(db, options))) {
      rig.onClose(db.release::countDown);
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      assertTrue(db.hanging.await(30, TimeUnit.SECONDS));
      rig.teardown.forceClose(grant.id(), "db", "removed by hand", "dba-ann");
      db.release.countDown();
      lane.submit(() -> { }).get(30, TimeUnit.SECONDS); // the attempt has finished

      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals(TeardownState.CLOSED, entry.state());
      assertEquals(0, entry.attempts(), "the acknowledgement after the close was dropped");
      assertEquals(List.of(TEARDOWN_CLOSED), rig.teardownEvents(grant));
    } finally {
      lane.shutdownNow();
    }
  }
}
