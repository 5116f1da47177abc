package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

@JitTest
class RecordingTest {

  @Test
  void theSinkFiltersByGrantAndTypeAndForgetsOnClear(JitAccess jit, RecordingAuditSink audit) {
    Grant a = jit.request(Requests.export());
    Grant b = jit.request(Requests.export());
    jit.revoke(a.id(), RevocationReason.TASK_COMPLETED);
    jit.revoke(b.id(), RevocationReason.TASK_FAILED);
    assertEquals(4, audit.size());
    assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.REVOKED), audit.typesFor(a));
    assertEquals(2, audit.eventsFor(b.id()).size());
    assertEquals(2, audit.eventsOfType(AuditEventType.REVOKED).size());
    List<AuditEvent> snapshot = audit.events();
    audit.clear();
    assertEquals(0, audit.size());
    assertEquals(4, snapshot.size(), "a snapshot does not change after clear");
  }

  @Test
  void theListenerRemembersEachRevocationOnce(JitAccess jit,
      RecordingRevocationListener revocations) {
    Grant grant = jit.request(Requests.export());
    jit.revoke(grant.id(), RevocationReason.MANUAL);
    jit.revoke(grant.id(), RevocationReason.ANOMALY);
    assertEquals(Optional.of(RevocationReason.MANUAL), revocations.reasonFor(grant));
    assertEquals(1, revocations.timesReported(grant.id()));
    revocations.clear();
    assertEquals(0, revocations.size());
  }

  @Test
  void nullArgumentsAreRejectedNamingTheField() {
    RecordingAuditSink audit = new RecordingAuditSink();
    RecordingRevocationListener listener = new RecordingRevocationListener();
    assertEquals("event must not be null",
        assertThrows(NullPointerException.class, () -> audit.record(null)).getMessage());
    assertEquals("grantId must not be null", assertThrows(NullPointerException.class,
        () -> audit.eventsFor((String) null)).getMessage());
    assertEquals("type must not be null",
        assertThrows(NullPointerException.class, () -> audit.eventsOfType(null)).getMessage());
    assertEquals("grant must not be null", assertThrows(NullPointerException.class,
        () -> listener.onRevocation(null, RevocationReason.MANUAL)).getMessage());
    assertEquals("reason must not be null", assertThrows(NullPointerException.class,
        () -> new RecordingRevocationListener.Revocation(
            jitlessGrant(), null)).getMessage());
  }

  private static Grant jitlessGrant() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    return Grant.builder().id("abcdefghijklmnop").subject("s").owner("o").task("t")
        .purpose("p").scope(dev.jitaccess.Scope.parse("read:a")).issuedAt(now)
        .expiresAt(now.plusSeconds(60)).notAfter(now.plusSeconds(60)).build();
  }
}
