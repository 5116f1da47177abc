package dev.jitaccess.teardown;

import static dev.jitaccess.teardown.ScriptedDownstream.Answer.DONE;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.HANG;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.ID_INSTEAD;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.NULL;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.OTHER_GRANT;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.THROW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.teardown.ScriptedDownstream.ProbeAnswer;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A downstream that throws, hangs, answers null or acknowledges another grant is retried, with a
 * cause that says which, and never one that shows the grant's id.
 */
class BadAnswersTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void aDownstreamThatThrowsIsRetriedWithTheExceptionsClassAsCauseNeverItsMessage() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).answers(THROW, DONE);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals(TeardownState.PENDING, entry.state());
      assertEquals("revoke threw java.lang.IllegalStateException", entry.cause());
      assertFalse(entry.toString().contains(grant.id()));
      clock.advance(Duration.ofSeconds(12));
      assertEquals(TeardownState.VERIFIED, rig.entry(grant, "db").state());
    }
  }

  @Test
  void aDownstreamThatHangsIsCutByItsTimeoutAndRetriedOnAFreshThread() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).answers(HANG, DONE);
    DownstreamOptions shortTimeout = DownstreamOptions.builder().executor(Runnable::run)
        .timeout(Duration.ofMillis(200)).build();
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db),
        b -> b.downstream(db, shortTimeout))) {
      rig.onClose(db.release::countDown);
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED); // returns once the call is cut

      TeardownEntry cut = rig.entry(grant, "db");
      assertEquals(TeardownState.PENDING, cut.state());
      assertEquals(1, cut.attempts());
      assertEquals("revoke timed out after PT0.2S", cut.cause());
      assertEquals(0, db.hanging.getCount(), "the first call is still hanging");

      clock.advance(Duration.ofSeconds(12));
      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals(TeardownState.VERIFIED, entry.state());
      assertEquals(2, entry.attempts());
      List<ScriptedDownstream.Call> calls = db.calls();
      assertNotEquals(calls.get(0).thread(), calls.get(1).thread(),
          "the retry does not wait behind the hung call's thread");
    }
  }

  @Test
  void aProbeThatHangsIsCutAndTheAcknowledgedEntryIsProbedAgain() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).probes(ProbeAnswer.HANG);
    DownstreamOptions shortTimeout = DownstreamOptions.builder().executor(Runnable::run)
        .timeout(Duration.ofMillis(200)).build();
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db),
        b -> b.downstream(db, shortTimeout))) {
      rig.onClose(db.release::countDown);
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      TeardownEntry cut = rig.entry(grant, "db");
      assertEquals(TeardownState.REVOKED, cut.state());
      assertEquals("verify timed out after PT0.2S", cut.cause());
      assertFalse(cut.isSettled());
      clock.advance(Duration.ofSeconds(12));
      assertEquals(TeardownState.VERIFIED, rig.entry(grant, "db").state());
    }
  }

  @Test
  void callsCutByTheTimeoutThatStillRunAreBoundedAndFurtherAttemptsAreNotMade() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).otherwise(HANG);
    DownstreamOptions options = DownstreamOptions.builder().executor(Runnable::run)
        .timeout(Duration.ofMillis(100)).maxHungCalls(1).build();
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db),
        b -> b.downstream(db, options))) {
      rig.onClose(db.release::countDown);
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      clock.advance(Duration.ofSeconds(12));
      clock.advance(Duration.ofSeconds(24));
      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals(3, entry.attempts());
      assertEquals(2, db.revokes(), "the third attempt found two cut calls still running");
      assertEquals("revoke not called: 2 earlier calls cut by the timeout are still running",
          entry.cause());
    }
  }

  @Test
  void aNullAnswerIsARetryAndANullProbeLeavesTheEntryUnverified() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).answers(NULL)
        .probes(ProbeAnswer.NULL);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      assertEquals("revoke answered null", rig.entry(grant, "db").cause());
      clock.advance(Duration.ofSeconds(12));
      TeardownEntry probed = rig.entry(grant, "db");
      assertEquals(TeardownState.REVOKED, probed.state());
      assertEquals("verify answered null", probed.cause());
      clock.advance(Duration.ofSeconds(24));
      assertEquals(TeardownState.VERIFIED, rig.entry(grant, "db").state());
    }
  }

  @Test
  void aProbeThatThrowsLeavesTheAcknowledgedEntryToBeProbedAgain() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).probes(ProbeAnswer.THROW);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      assertEquals("verify threw java.lang.IllegalStateException", rig.entry(grant, "db").cause());
      clock.advance(Duration.ofSeconds(12));
      assertEquals(TeardownState.VERIFIED, rig.entry(grant, "db").state());
    }
  }

  @Test
  void anAcknowledgementOfAnotherGrantIsARetryThatNamesTheMismatch() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).answers(OTHER_GRANT, DONE);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals(TeardownState.PENDING, entry.state());
      assertEquals("revoke acknowledged grant gr_AAAAAAAAAAAAAAAA, not this grant",
          entry.cause());
      assertEquals(1, db.calls().size(), "no probe after a wrong acknowledgement");
      clock.advance(Duration.ofSeconds(12));
      assertEquals(TeardownState.VERIFIED, rig.entry(grant, "db").state());
    }
  }

  @Test
  void anAcknowledgementWithTheGrantsIdInsteadOfItsReferenceIsARetryThatDoesNotEchoTheId() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).answers(ID_INSTEAD, DONE);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals("revoke acknowledged the grant's id instead of its reference, not this grant",
          entry.cause());
      assertFalse(entry.cause().contains(grant.id()));
    }
  }

  @Test
  void aCauseThatEchoesTheGrantsIdIsKeptWithTheReferenceInstead() {
    Downstream leaky = new Downstream() {
      @Override
      public String name() {
        return "db";
      }

      @Override
      public TeardownResult revoke(Grant grant, RevocationReason reason) {
        return TeardownResult.retry("no role for " + grant.id() + "\nforged line");
      }
    };
    try (Rig rig = Rig.of(clock, leaky)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      assertEquals("downstream asked to retry: no role for " + grant.reference() + "?forged line",
          rig.entry(grant, "db").cause());
    }
  }

  @Test
  void anEntitlementThatThrowsCountsAsTheGrantsOwnAccessAndIsRemoved() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).entitlement(g -> {
      throw new IllegalStateException("no mapping");
    });
    try (Rig rig = Rig.of(clock, db)) {
      Grant other = rig.grant("ci-job-1");
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      assertEquals(TeardownState.VERIFIED, rig.entry(grant, "db").state());
      assertTrue(rig.jit.check(other.id(), "write", "db/payments").isAllowed());
      rig.jit.revoke(other.id(), RevocationReason.TASK_COMPLETED);
    }
  }

  @Test
  void anEntitlementAnsweredAsNullCountsAsNone() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).entitlement(g -> null);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      assertEquals(TeardownState.VERIFIED, rig.entry(grant, "db").state());
    }
  }

  @Test
  void anAuditSinkAndAlertsThatThrowChangeNothing() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock)
        .answers(ScriptedDownstream.Answer.UNRECOVERABLE);
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db), b -> b
        .downstream(db, Rig.INLINE))) {
      Teardown failing = Teardown.builder().clock(clock).scheduler(clock).ledger(rig.ledger)
          .instanceId("replica-b").downstream(db, Rig.INLINE)
          .auditSink(e -> {
            throw new IllegalStateException("audit down");
          })
          .alerts(e -> {
            throw new AssertionError("pager down");
          }).build();
      try {
        Grant grant = rig.grant("ci-job-1");
        rig.teardown.close();
        rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED); // unleased: any may claim
        assertEquals(1, failing.runDue());
        TeardownEntry entry = failing.entries(grant.id()).get(0);
        assertEquals(TeardownState.IRREVOCABLE, entry.state());
        assertEquals("replica-b", entry.leaseOwner());
      } finally {
        failing.close();
      }
    }
  }

  @Test
  void aHungDownstreamDelaysNeitherRevokeNorAnotherDownstreamOnItsOwnThreads()
      throws InterruptedException {
    ScriptedDownstream slow = new ScriptedDownstream("slow", clock).answers(HANG);
    ScriptedDownstream fast = new ScriptedDownstream("fast", clock);
    DownstreamOptions own = DownstreamOptions.builder().timeout(Duration.ofSeconds(30)).build();
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(slow, fast),
        b -> b.downstream(slow, own).downstream(fast, own))) {
      rig.onClose(slow.release::countDown);
      Grant grant = rig.grant("ci-job-1");
      assertTrue(rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED));
      assertTrue(slow.hanging.await(30, TimeUnit.SECONDS));

      rig.awaitEvent(AuditEventType.TEARDOWN_VERIFIED, grant); // fast, while slow hangs
      assertEquals(TeardownState.VERIFIED, rig.entry(grant, "fast").state());
      assertEquals(TeardownState.PENDING, rig.entry(grant, "slow").state());
      slow.release.countDown();
      rig.awaitEvent(AuditEventType.TEARDOWN_VERIFIED, grant);
      String revoking = Thread.currentThread().getName();
      for (ScriptedDownstream d : List.of(slow, fast)) {
        for (ScriptedDownstream.Call call : d.calls()) {
          assertNotEquals(revoking, call.thread());
          assertTrue(call.thread().startsWith("jit-teardown-" + d.name() + "-call-"),
              call.thread());
        }
      }
    }
  }

  @Test
  void theListenerIgnoresAGrantThatIsStillActive() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.teardown.listener().onRevocation(grant, RevocationReason.MANUAL);
      assertTrue(rig.teardown.entries(grant.id()).isEmpty());
      assertEquals(Optional.empty(), db.entitlement(grant));
      rig.jit.revoke(grant.id(), RevocationReason.MANUAL);
    }
  }

  @Test
  void anEntryTheLedgerFailedToInsertIsInsertedAgainOnTheSchedulerUntilItIsStored() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock);
    AtomicInteger failures = new AtomicInteger(3);
    ForwardingLedger flaky = new ForwardingLedger(new InMemoryTeardownLedger()) {
      @Override
      public boolean insert(TeardownEntry entry) {
        if (failures.getAndDecrement() > 0) {
          throw new IllegalStateException("ledger down");
        }
        return super.insert(entry);
      }
    };
    try (Rig rig = new Rig(clock, flaky, List.of(db), b -> { })) {
      Grant grant = rig.grant("ci-job-1");
      assertTrue(rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED));
      assertTrue(rig.teardown.entries(grant.id()).isEmpty());
      clock.advance(Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(2));
      assertTrue(rig.teardown.entries(grant.id()).isEmpty(), "third failure, next in 4 s");
      clock.advance(Duration.ofSeconds(4));
      assertEquals(TeardownState.VERIFIED, rig.entry(grant, "db").state());
    }
  }

  @Test
  void anAttemptTheLedgerFailedToRecordIsMadeAgainOnceItsLeasePasses() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock);
    AtomicInteger failures = new AtomicInteger(1);
    ForwardingLedger flaky = new ForwardingLedger(new InMemoryTeardownLedger()) {
      @Override
      public boolean compareAndSet(TeardownEntry expected, TeardownEntry next) {
        if (failures.getAndDecrement() > 0) {
          throw new IllegalStateException("ledger down");
        }
        return super.compareAndSet(expected, next);
      }
    };
    try (Rig rig = new Rig(clock, flaky, List.of(db), b -> { })) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      TeardownEntry unrecorded = rig.entry(grant, "db");
      assertEquals(TeardownState.PENDING, unrecorded.state());
      assertEquals(0, unrecorded.attempts());
      assertEquals(1, db.revokes());
      clock.advance(Duration.ofMinutes(6)); // the lease passes; a poll claims it again
      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals(TeardownState.VERIFIED, entry.state());
      assertEquals(2, db.revokes(), "asked again, which a downstream takes as done");
    }
  }
}
