package dev.jitaccess.testkit;

import static dev.jitaccess.testkit.GrantAssert.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

@JitTest
class GrantAssertTest {

  @Test
  void aLiveGrantPassesEveryAssertionAboutBeingLive(JitAccess jit, FakeClock clock,
      RecordingAuditSink audit) {
    Grant grant = jit.request(Requests.exportFor(Duration.ofMinutes(5)));
    assertThat(jit, grant).at(clock).withAuditTrail(audit)
        .isActive()
        .expiresAt(FakeClock.DEFAULT_START.plus(Duration.ofMinutes(5)))
        .expiresWithin(Duration.ofMinutes(5))
        .permits("read", "orders/42")
        .deniesWith(DenyReason.OUT_OF_SCOPE, "delete", "orders/42");
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    assertThat(jit, grant).isRevoked(RevocationReason.TASK_COMPLETED)
        .deniesWith(DenyReason.REVOKED);
  }

  @Test
  void isActiveOnARevokedGrantFailsWithExpectedActualAndHistory(JitAccess jit,
      RecordingAuditSink audit) {
    Grant grant = jit.request(Requests.export());
    jit.revoke(grant.id(), RevocationReason.ANOMALY);
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(jit, grant).withAuditTrail(audit).isActive());
    assertEquals("ACTIVE", e.getExpected().getValue());
    assertEquals("REVOKED (ANOMALY)", e.getActual().getValue());
    String message = e.getMessage();
    assertTrue(message.startsWith("expected grant " + grant.reference()
        + " to be ACTIVE\n  expected: ACTIVE\n  actual:   REVOKED (ANOMALY)\n"), message);
    assertTrue(message.contains("  history:\n    " + FakeClock.DEFAULT_START + " ISSUED grant="),
        message);
    assertTrue(message.contains(" REVOKED grant=" + grant.reference()
        + " reason=ANOMALY"), message);
    assertTrue(!message.contains(grant.id()), "the full id must not appear: " + message);
  }

  @Test
  void withoutAnAuditTrailTheMessageSaysHowToGetOne(JitAccess jit) {
    Grant grant = jit.request(Requests.export());
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(jit, grant).isActive());
    assertTrue(e.getMessage().contains("call withAuditTrail(audit)"), e.getMessage());
  }

  @Test
  void isActivePastExpiryWithAClockFails(JitAccess jit, FakeClock clock) {
    Grant grant = jit.request(Requests.exportFor(Duration.ofMinutes(5)));
    clock.advance(Duration.ofMinutes(5));
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(jit, grant).at(clock).isActive());
    assertEquals("EXPIRED (EXPIRED)", e.getActual().getValue());
    assertThat(jit, grant).isExpired().deniesWith(DenyReason.EXPIRED);
  }

  @Test
  void isRevokedWithTheWrongReasonFails(JitAccess jit) {
    Grant grant = jit.request(Requests.export());
    jit.revoke(grant.id(), RevocationReason.TASK_FAILED);
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(jit, grant).isRevoked(RevocationReason.TASK_COMPLETED));
    assertEquals("REVOKED (TASK_COMPLETED)", e.getExpected().getValue());
    assertEquals("REVOKED (TASK_FAILED)", e.getActual().getValue());
  }

  @Test
  void isExhaustedFollowsTheUseBudget(JitAccess jit) {
    GrantRequest request = Requests.export().toBuilder().useBudget(2).build();
    Grant grant = jit.request(request);
    assertThat(jit, grant).permits("read", "orders/1").permits("read", "orders/2")
        .isExhausted().deniesWith(DenyReason.EXHAUSTED);
  }

  @Test
  void expiresAtShowsBothInstants(JitAccess jit) {
    Grant grant = jit.request(Requests.exportFor(Duration.ofMinutes(5)));
    Instant wrong = grant.expiresAt().plusSeconds(1);
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(jit, grant).expiresAt(wrong));
    assertEquals(wrong, e.getExpected().getValue());
    assertEquals(grant.expiresAt(), e.getActual().getValue());
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void expiresWithinFailsWhenTheGrantLivesLonger(JitAccess jit, FakeClock clock) {
    Grant grant = jit.request(Requests.exportFor(Duration.ofMinutes(10)));
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(jit, grant).at(clock).expiresWithin(Duration.ofMinutes(5)));
    assertTrue(String.valueOf(e.getActual().getValue()).startsWith("expires in PT10M"),
        String.valueOf(e.getActual().getValue()));
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void expiresWithinWithoutAClockIsRejectedNamingTheRule(JitAccess jit) {
    Grant grant = jit.request(Requests.export());
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> assertThat(jit, grant).expiresWithin(Duration.ofMinutes(5)));
    assertEquals("expiresWithin needs a clock: call at(clock) first", e.getMessage());
    IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
        () -> assertThat(jit, grant).expiresWithin(Duration.ofMinutes(-5)));
    assertEquals("duration must be >= 0, was PT-5M", negative.getMessage());
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void permitsOutOfScopeFailsWithTheDenial(JitAccess jit) {
    Grant grant = jit.request(Requests.export());
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(jit, grant).permits("delete", "orders/1"));
    assertEquals("ALLOW", e.getExpected().getStringRepresentation());
    assertEquals("DENY(OUT_OF_SCOPE)", e.getActual().getStringRepresentation());
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void deniesWithOnALiveGrantFails(JitAccess jit) {
    Grant grant = jit.request(Requests.export());
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(jit, grant).deniesWith(DenyReason.REVOKED));
    assertEquals("DENY(REVOKED)", e.getExpected().getStringRepresentation());
    assertEquals("ALLOW", e.getActual().getStringRepresentation());
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void aGrantTheStoreNoLongerHoldsIsReportedAsUnknown(JitAccess jit, FakeClock clock) {
    Grant grant = jit.request(Requests.export());
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    clock.advance(Duration.ofDays(1));
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(jit, grant).isRevoked(RevocationReason.TASK_COMPLETED));
    assertEquals("unknown to the runtime", e.getActual().getValue());
    assertThat(jit, grant).deniesWith(DenyReason.UNKNOWN_GRANT);
  }

  @Test
  void nullArgumentsAreRejectedNamingTheField(JitAccess jit) {
    Grant grant = jit.request(Requests.export());
    assertEquals("jit must not be null",
        assertThrows(NullPointerException.class, () -> assertThat(null, grant)).getMessage());
    assertEquals("grant must not be null",
        assertThrows(NullPointerException.class, () -> assertThat(jit, null)).getMessage());
    assertEquals("reason must not be null", assertThrows(NullPointerException.class,
        () -> assertThat(jit, grant).isRevoked(null)).getMessage());
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void aConcreteResourceIsDerivedFromEachPatternShape() {
    assertEquals("orders/x", GrantAssert.concreteResource("orders/*"));
    assertEquals("exports/2026-11", GrantAssert.concreteResource("exports/2026-11/**"));
    assertEquals("x", GrantAssert.concreteResource("**"));
    assertEquals("a/x/c", GrantAssert.concreteResource("a/*/c"));
  }

  @Test
  void expiresWithinFailsForARevokedGrantThatWillNeverExpire(JitAccess jit, FakeClock clock) {
    Grant grant = jit.request(Requests.exportFor(Duration.ofMinutes(5)));
    jit.revoke(grant.id(), RevocationReason.ANOMALY);
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(jit, grant).at(clock).expiresWithin(Duration.ofMinutes(5)));
    assertTrue(e.getMessage().contains("expected: ACTIVE, expires in (0, PT5M]\n"
        + "  actual:   REVOKED (ANOMALY)"), e.getMessage());
  }

  @Test
  void expiresWithinFailsForAnExhaustedGrant(JitAccess jit, FakeClock clock) {
    Grant grant = jit.request(Requests.export().toBuilder().useBudget(1).build());
    assertTrue(jit.check(grant.id(), "read", "orders/1").isAllowed());
    AssertionFailedError e = assertThrows(AssertionFailedError.class,
        () -> assertThat(jit, grant).at(clock).expiresWithin(Duration.ofHours(1)));
    assertTrue(e.getMessage().contains("actual:   EXHAUSTED (EXHAUSTED)"), e.getMessage());
  }
}
