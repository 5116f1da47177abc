package dev.jitaccess.testkit;

import static dev.jitaccess.AuditEventType.EXPIRED;
import static dev.jitaccess.AuditEventType.ISSUED;
import static dev.jitaccess.AuditEventType.REVOKED;
import static dev.jitaccess.testkit.AuditTrailAssert.assertThat;
import static dev.jitaccess.testkit.GrantAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The example of docs/testing.md, kept compiling and passing. */
@JitTest
class ExportJobExampleTest {
  private static final GrantRequest EXPORT = GrantRequest.builder()
      .subject("export-job").owner("team-data").task("export-2026-11")
      .purpose("monthly export")
      .scope("read:orders/*", "write:exports/2026-11/**")
      .ttl(Ttl.of(Duration.ofMinutes(10)))
      .build();

  @Test
  void theGrantEndsOnTheNanosecondItExpires(JitAccess jit, FakeClock clock,
      RecordingAuditSink audit, RecordingRevocationListener revocations) {
    Grant grant = jit.request(EXPORT);
    assertThat(jit, grant).at(clock).withAuditTrail(audit)
        .isActive()
        .expiresWithin(Duration.ofMinutes(10))
        .permits("read", "orders/42")
        .deniesWith(DenyReason.OUT_OF_SCOPE, "write", "orders/42");

    clock.advance(Duration.ofMinutes(10)); // runs the expiry timer, on this thread, now

    assertThat(jit, grant).isExpired().deniesWith(DenyReason.EXPIRED);
    assertEquals(Optional.of(RevocationReason.EXPIRED), revocations.reasonFor(grant));
    assertThat(audit, grant).containsInOrder(ISSUED, EXPIRED);
  }

  @Test
  void theJobRevokesItsGrantWhenItFinishes(JitAccess jit, RecordingAuditSink audit) {
    Grant used = jit.call(EXPORT, grant -> {
      jit.require(grant.id(), "write", "exports/2026-11/orders.csv");
      return grant;
    });
    assertThat(jit, used).isRevoked(RevocationReason.TASK_COMPLETED);
    assertThat(audit, used).containsExactly(ISSUED, REVOKED);
  }
}
