package dev.jitaccess.teardown;

import static dev.jitaccess.AuditEventType.TEARDOWN_IRREVOCABLE;
import static dev.jitaccess.AuditEventType.TEARDOWN_REVOKED;
import static dev.jitaccess.AuditEventType.TEARDOWN_VERIFIED;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.DONE;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.RETRY;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.THROW;
import static dev.jitaccess.teardown.ScriptedDownstream.Answer.UNRECOVERABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The whole retry ladder on the fake clock: its delays, its end, and the long interval after. */
class RetryLadderTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void theDefaultLadderIsSixAttemptsDoublingFromTenSecondsWithTwentyPercentJitter() {
    RetryLadder ladder = RetryLadder.ofDefaults();
    assertEquals(6, ladder.attempts());
    List<Duration> base = new ArrayList<>();
    for (int attempt = 1; attempt < 6; attempt++) {
      base.add(ladder.baseDelayAfter(attempt));
    }
    assertEquals(List.of(Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
        Duration.ofSeconds(80), Duration.ofSeconds(160)), base);
    assertEquals(Duration.ofSeconds(8), ladder.delayAfter(1, 0.0));
    assertEquals(Duration.ofSeconds(12), ladder.delayAfter(1, 0.999_999_999_9).plusNanos(1)
        .withNanos(0));
    assertThrows(IllegalArgumentException.class, () -> ladder.baseDelayAfter(6));
    assertThrows(IllegalArgumentException.class, () -> ladder.delayAfter(1, 1.0));
  }

  @Test
  void delaysAreCappedAtTheMaximum() {
    RetryLadder ladder = RetryLadder.builder().attempts(20).firstDelay(Duration.ofSeconds(10))
        .maxDelay(Duration.ofMinutes(1)).jitter(0).build();
    assertEquals(Duration.ofMinutes(1), ladder.baseDelayAfter(19));
    assertEquals(Duration.ofSeconds(40), ladder.delayAfter(3, 0.5));
  }

  @Test
  void aLadderRefusesSettingsOutsideItsRules() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RetryLadder.builder().attempts(0));
    assertEquals("attempts must be in [1, 100], was 0", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RetryLadder.builder().jitter(1.5));
    assertThrows(IllegalArgumentException.class, () -> RetryLadder.builder().multiplier(0.5));
    assertThrows(IllegalArgumentException.class,
        () -> RetryLadder.builder().firstDelay(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> RetryLadder.builder()
        .firstDelay(Duration.ofMinutes(20)).maxDelay(Duration.ofMinutes(10)).build());
  }

  @Test
  void withoutJitterTheSixAttemptsComeAtZeroTenThirtySeventyOneFiftyAndThreeTenSeconds() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).otherwise(RETRY);
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db),
        b -> b.ladder(RetryLadder.builder().jitter(0).build()).downstream(db, Rig.INLINE))) {
      Grant grant = rig.grant("ci-job-1");
      Instant revokedAt = clock.instant();
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      clock.advance(Duration.ofHours(1));

      List<Duration> offsets = new ArrayList<>();
      for (Instant at : db.revokeTimes()) {
        offsets.add(Duration.between(revokedAt, at));
      }
      assertEquals(List.of(Duration.ZERO, Duration.ofSeconds(10), Duration.ofSeconds(30),
          Duration.ofSeconds(70), Duration.ofSeconds(150), Duration.ofSeconds(310)), offsets);
      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals(TeardownState.IRREVOCABLE, entry.state());
      assertEquals(6, entry.attempts());
    }
  }

  @Test
  void aDownstreamThatFailsThreeTimesThenSucceedsEndsVerifiedOnTheFourthAttempt() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).answers(RETRY, THROW, RETRY, DONE);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      Instant revokedAt = clock.instant();
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);

      TeardownEntry first = rig.entry(grant, "db");
      assertEquals(TeardownState.PENDING, first.state());
      assertEquals(1, first.attempts());
      assertTrue(first.cause().startsWith("downstream asked to retry: connection refused"),
          first.cause());
      clock.advance(Duration.ofMinutes(10));

      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals(TeardownState.VERIFIED, entry.state());
      assertEquals(4, entry.attempts());
      assertNull(entry.dueAt());
      assertNull(entry.leaseOwner());
      assertNull(entry.cause());
      List<Instant> times = db.revokeTimes();
      assertEquals(4, times.size());
      assertEquals(revokedAt, times.get(0));
      assertWithinJitter(Duration.ofSeconds(10), Duration.between(times.get(0), times.get(1)));
      assertWithinJitter(Duration.ofSeconds(20), Duration.between(times.get(1), times.get(2)));
      assertWithinJitter(Duration.ofSeconds(40), Duration.between(times.get(2), times.get(3)));
      assertEquals(List.of(TEARDOWN_VERIFIED), rig.teardownEvents(grant));
      assertTrue(rig.alerts.isEmpty());
    }
  }

  @Test
  void aDownstreamThatAlwaysFailsEndsIrrevocableAfterTheLadderAndAlertsTheOwner() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).otherwise(RETRY);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.ANOMALY);
      clock.advance(Duration.ofMinutes(10));

      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals(TeardownState.IRREVOCABLE, entry.state());
      assertEquals(6, entry.attempts());
      assertEquals(6, db.revokes());
      assertEquals(1, rig.alerts.size());
      TeardownEntry alert = rig.alerts.get(0);
      assertEquals("team-payments", alert.owner());
      assertEquals(grant.reference(), alert.grantReference());
      assertTrue(alert.cause().contains("connection refused"), alert.cause());
      assertEquals(List.of(TEARDOWN_IRREVOCABLE), rig.teardownEvents(grant));
      assertEquals(entry.updatedAt().plus(Duration.ofHours(24)), entry.dueAt());
      assertEquals(1, rig.teardown.lingering(Duration.ofMinutes(5)).size());
    }
  }

  @Test
  void anIrrevocableEntryIsRetriedDailyAlertingAgainEachTimeUntilItSucceeds() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).answers(UNRECOVERABLE, RETRY,
        RETRY, DONE);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.MANUAL);
      assertEquals(TeardownState.IRREVOCABLE, rig.entry(grant, "db").state());
      assertEquals(1, rig.alerts.size(), "at once: an unrecoverable answer skips the ladder");
      assertEquals(1, db.revokes());

      clock.advance(Duration.ofHours(23));
      assertEquals(1, db.revokes(), "nothing before the long interval");
      clock.advance(Duration.ofHours(1));
      assertEquals(2, db.revokes());
      assertEquals(2, rig.alerts.size(), "the owner is reminded after each failed retry");
      clock.advance(Duration.ofHours(24));
      assertEquals(3, rig.alerts.size());
      clock.advance(Duration.ofHours(24));

      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals(TeardownState.VERIFIED, entry.state());
      assertEquals(4, entry.attempts());
      assertEquals(List.of(TEARDOWN_IRREVOCABLE, TEARDOWN_VERIFIED), rig.teardownEvents(grant));
      assertTrue(rig.teardown.lingering(Duration.ZERO).isEmpty());
    }
  }

  @Test
  void aDownstreamWithoutAProbeEndsRevokedAndSettledNotVerified() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).probeOtherwise(
        ScriptedDownstream.ProbeAnswer.UNKNOWN);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      TeardownEntry entry = rig.entry(grant, "db");
      assertEquals(TeardownState.REVOKED, entry.state());
      assertTrue(entry.isSettled());
      assertEquals(List.of(TEARDOWN_REVOKED), rig.teardownEvents(grant));
      clock.advance(Duration.ofDays(2));
      assertEquals(1, db.revokes(), "a settled entry is not worked again");
    }
  }

  @Test
  void aProbeThatFindsTheAccessStillLiveKeepsTheEntryRevokedAndRetriesUntilDenied() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).probes(
        ScriptedDownstream.ProbeAnswer.STILL_LIVE, ScriptedDownstream.ProbeAnswer.STILL_LIVE);
    try (Rig rig = Rig.of(clock, db)) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      TeardownEntry acknowledged = rig.entry(grant, "db");
      assertEquals(TeardownState.REVOKED, acknowledged.state());
      assertFalse(acknowledged.isSettled());
      assertEquals("verify found the access still live", acknowledged.cause());
      clock.advance(Duration.ofMinutes(5));
      assertEquals(TeardownState.VERIFIED, rig.entry(grant, "db").state());
      assertEquals(3, db.revokes(), "each retry asks to revoke again, then probes");
      assertEquals(List.of(TEARDOWN_REVOKED, TEARDOWN_VERIFIED), rig.teardownEvents(grant));
    }
  }

  @Test
  void aDownstreamsOwnLadderOverridesTheTeardownsLadder() {
    ScriptedDownstream db = new ScriptedDownstream("db", clock).otherwise(RETRY);
    DownstreamOptions two = DownstreamOptions.builder().executor(Runnable::run)
        .ladder(RetryLadder.builder().attempts(2).build()).build();
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db),
        b -> b.downstream(db, two))) {
      Grant grant = rig.grant("ci-job-1");
      rig.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      clock.advance(Duration.ofMinutes(10));
      assertEquals(2, rig.entry(grant, "db").attempts());
      assertEquals(TeardownState.IRREVOCABLE, rig.entry(grant, "db").state());
    }
  }

  private static void assertWithinJitter(Duration base, Duration actual) {
    Duration low = Duration.ofNanos((long) (base.toNanos() * 0.8));
    Duration high = Duration.ofNanos((long) (base.toNanos() * 1.2));
    assertTrue(actual.compareTo(low) >= 0 && actual.compareTo(high) <= 0,
        actual + " must be within 20 % of " + base);
  }
}
