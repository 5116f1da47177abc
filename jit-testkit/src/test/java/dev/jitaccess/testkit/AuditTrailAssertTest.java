package dev.jitaccess.testkit;

import static dev.jitaccess.AuditEventType.DENIED;
import static dev.jitaccess.AuditEventType.EXPIRED;
import static dev.jitaccess.AuditEventType.ISSUED;
import static dev.jitaccess.AuditEventType.RENEWED;
import static dev.jitaccess.AuditEventType.REVOKED;
import static dev.jitaccess.testkit.AuditTrailAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@JitTest
class AuditTrailAssertTest {

  @Test
  void containsInOrderAllowsOtherEventsBetween(JitAccess jit, FakeClock clock,
      RecordingAuditSink audit) {
    Grant grant = jit.request(Requests.exportFor(Duration.ofMinutes(5)));
    jit.check(grant.id(), "delete", "orders/1");
    clock.advance(Duration.ofMinutes(1));
    jit.renew(grant.id(), Duration.ofMinutes(5));
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    assertThat(audit, grant)
        .containsInOrder(ISSUED, REVOKED)
        .containsInOrder(ISSUED, DENIED, RENEWED, REVOKED)
        .containsExactly(ISSUED, DENIED, RENEWED, REVOKED)
        .doesNotContain(EXPIRED);
  }

  @Test
  void containsInOrderFailsOnTheWrongOrderShowingTheEvents(JitAccess jit,
      RecordingAuditSink audit) {
    Grant grant = jit.request(Requests.export());
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(audit, grant).containsInOrder(REVOKED, ISSUED));
    assertEquals(List.of(REVOKED, ISSUED), e.getExpected().getValue());
    assertEquals(List.of(ISSUED, REVOKED), e.getActual().getValue());
    String message = e.getMessage();
    assertTrue(message.startsWith("expected the audit trail of grant "
        + grant.reference() + " to contain in order [REVOKED, ISSUED] (missing "
        + "ISSUED after the first 1)"), message);
    assertTrue(message.contains("  events:\n    " + FakeClock.DEFAULT_START + " ISSUED grant="),
        message);
    assertTrue(message.contains("REVOKED grant=" + grant.reference()
        + " reason=TASK_COMPLETED"), message);
  }

  @Test
  void containsExactlyFailsOnAnExtraEvent(JitAccess jit, RecordingAuditSink audit) {
    Grant grant = jit.request(Requests.export());
    jit.check(grant.id(), "delete", "orders/1");
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(audit, grant).containsExactly(ISSUED, REVOKED));
    assertEquals(List.of(ISSUED, DENIED, REVOKED), e.getActual().getValue());
  }

  @Test
  void hasNoEventsForPassesForAnotherRuntimesGrantAndFailsForItsOwn(JitAccess jit,
      RecordingAuditSink audit) {
    Grant mine = jit.request(Requests.export());
    Grant other;
    try (JitAccess elsewhere = JitAccess.builder().clock(new FakeClock())
        .scheduler(new FakeClock()).auditSink(new RecordingAuditSink()).build()) {
      other = elsewhere.request(Requests.export());
    }
    assertThat(audit).hasNoEventsFor(other).containsInOrder(ISSUED);
    jit.revoke(mine.id(), RevocationReason.TASK_COMPLETED);
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(audit).hasNoEventsFor(mine));
    assertEquals(List.of(ISSUED, REVOKED), e.getActual().getValue());
    assertTrue(e.getMessage().startsWith("expected no audit events for grant "
        + mine.reference() + "\n  expected: []\n  actual:   [ISSUED, REVOKED]"),
        e.getMessage());
  }

  @Test
  void doesNotContainFailsWhenTheTypeIsThere(JitAccess jit, RecordingAuditSink audit) {
    Grant grant = jit.request(Requests.export());
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    assertThrows(AssertionFailedError.class,
        () -> assertThat(audit, grant).doesNotContain(REVOKED));
  }

  @Test
  void noTypesOrNullArgumentsAreRejectedNamingTheRule(JitAccess jit, RecordingAuditSink audit) {
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> assertThat(audit).containsInOrder());
    assertEquals("types must name at least one event type", empty.getMessage());
    assertEquals("types must not contain null", assertThrows(NullPointerException.class,
        () -> assertThat(audit).containsExactly(ISSUED, (AuditEventType) null)).getMessage());
    assertEquals("audit must not be null", assertThrows(NullPointerException.class,
        () -> assertThat((RecordingAuditSink) null)).getMessage());
  }

  @Test
  void doesNotContainFailsOnATrailThatNeverSawTheGrantIssued(JitAccess jit) {
    Grant grant = jit.request(Requests.export());
    jit.revoke(grant.id(), RevocationReason.ANOMALY);
    RecordingAuditSink notWired = new RecordingAuditSink();
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(notWired, grant).doesNotContain(REVOKED));
    assertTrue(e.getMessage().contains("is this the sink its runtime writes to?"), e.getMessage());
  }

  @Test
  void doesNotContainOnTheWholeTrailAcceptsAnEmptyTrail() {
    assertThat(new RecordingAuditSink()).doesNotContain(REVOKED);
  }
}
