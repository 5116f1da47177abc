package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.AllowedCheckAudit;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JitExtensionBuilderTest {
  static final Instant START = Instant.parse("2030-12-24T23:59:00Z");
  static final RecordingRevocationListener EXTRA = new RecordingRevocationListener();

  @RegisterExtension
  static JitExtension jit = JitExtension.builder()
      .start(START)
      .maxLifetime(Duration.ofMinutes(15))
      .listener(EXTRA)
      .allowedChecks(AllowedCheckAudit.EACH)
      .build();

  @Test
  void theClockStartsWhereTheBuilderSaid(FakeClock clock) {
    assertEquals(START, clock.instant());
  }

  @Test
  void theRuntimeHasTheBuildersMaxLifetime(JitAccess jit) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> jit.request(Requests.exportFor(Duration.ofMinutes(20))));
    assertEquals("ttl.lifetime must be <= maxLifetime PT15M, was PT20M", e.getMessage());
  }

  @Test
  void withAllowedChecksAuditedAPermitsAssertionIsInTheTrail(JitAccess jit,
      RecordingAuditSink audit) {
    Grant grant = jit.request(Requests.export());
    GrantAssert.assertThat(jit, grant).permits("read", "orders/42");
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    AuditTrailAssert.assertThat(audit, grant).containsExactly(AuditEventType.ISSUED,
        AuditEventType.ALLOWED, AuditEventType.REVOKED);
  }

  @Test
  void extraListenersHearEveryRevocation(JitAccess jit) {
    Grant grant = jit.request(Requests.export());
    jit.revoke(grant.id(), RevocationReason.ANOMALY);
    assertEquals(java.util.Optional.of(RevocationReason.ANOMALY), EXTRA.reasonFor(grant));
  }

  @Nested
  class Rejections {
    @Test
    void nullStartIsRejectedNamingTheField() {
      NullPointerException e = assertThrows(NullPointerException.class,
          () -> JitExtension.builder().start(null));
      assertEquals("start must not be null", e.getMessage());
    }

    @Test
    void aStartSetTwiceIsRejected() {
      JitExtension.Builder b = JitExtension.builder().start(START);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.start(START));
      assertEquals("start was already set", e.getMessage());
    }

    @Test
    void aZeroOrNegativeMaxLifetimeIsRejectedNamingTheRule() {
      IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
          () -> JitExtension.builder().maxLifetime(Duration.ZERO));
      assertEquals("maxLifetime must be > 0, was PT0S", zero.getMessage());
      IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
          () -> JitExtension.builder().maxHardCap(Duration.ofSeconds(-1)));
      assertEquals("maxHardCap must be > 0, was PT-1S", negative.getMessage());
    }

    @Test
    void aHardCapBelowTheRuntimesDefaultLifetimeIsRejectedAtBuild() {
      JitExtension.Builder b = JitExtension.builder().maxHardCap(Duration.ofMinutes(30));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
      assertEquals("maxHardCap must be >= maxLifetime PT1H (the runtime's default), was PT30M",
          e.getMessage());
    }

    @Test
    void aLifetimeAboveTheRuntimesDefaultHardCapIsRejectedAtBuild() {
      JitExtension.Builder b = JitExtension.builder().maxLifetime(Duration.ofHours(9));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
      assertEquals("maxHardCap must be >= maxLifetime PT9H, was PT8H (the runtime's default)",
          e.getMessage());
    }

    @Test
    void allowedChecksSetTwiceOrToNullIsRejected() {
      JitExtension.Builder b = JitExtension.builder().allowedChecks(AllowedCheckAudit.EACH);
      IllegalStateException twice = assertThrows(IllegalStateException.class,
          () -> b.allowedChecks(AllowedCheckAudit.COUNT));
      assertEquals("allowedChecks was already set", twice.getMessage());
      NullPointerException none = assertThrows(NullPointerException.class,
          () -> JitExtension.builder().allowedChecks(null));
      assertEquals("allowedChecks must not be null", none.getMessage());
    }

    @Test
    void aHardCapBelowTheLifetimeIsRejectedAtBuild() {
      JitExtension.Builder b = JitExtension.builder()
          .maxLifetime(Duration.ofHours(2)).maxHardCap(Duration.ofHours(1));
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, b::build);
      assertEquals("maxHardCap must be >= maxLifetime PT2H, was PT1H", e.getMessage());
    }

    @Test
    void aNegativeRetentionIsRejectedNamingTheRule() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> JitExtension.builder().retention(Duration.ofMinutes(-1)));
      assertEquals("retention must be >= 0, was PT-1M", e.getMessage());
    }

    @Test
    void nullPolicyAndListenerAreRejectedNamingTheField() {
      assertEquals("policy must not be null", assertThrows(NullPointerException.class,
          () -> JitExtension.builder().policy(null)).getMessage());
      assertEquals("listener must not be null", assertThrows(NullPointerException.class,
          () -> JitExtension.builder().listener(null)).getMessage());
    }

    @Test
    void allowStandingAccessSetTwiceIsRejected() {
      JitExtension.Builder b = JitExtension.builder().allowStandingAccess();
      assertEquals("allowStandingAccess was already set",
          assertThrows(IllegalStateException.class, b::allowStandingAccess).getMessage());
    }
  }
}
