package dev.jitaccess.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.governance.GovernanceException.Rule;
import dev.jitaccess.governance.spi.Notification;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Emergency access: taken at once, announced, reviewed, or revoked and locked at the deadline. */
class BreakGlassTest {
  private final Desk desk = new Desk();
  private final Governance gov = desk.gov;

  private static void assertRule(Rule rule, Runnable call) {
    GovernanceException e = assertThrows(GovernanceException.class, call::run);
    assertEquals(rule, e.rule(), e.getMessage());
  }

  @Test
  void breakGlassMintsAtOnceCappedAnnouncesItLoudlyAndTellsEveryApproverAndTheOwner() {
    Grant grant = gov.breakGlass(Desk.oncallBreaksGlass(RiskTiers.CRITICAL)
        .lifetime(Duration.ofHours(2)).build());
    assertTrue(gov.access().check(grant.id(), "admin", "prod/payments").isAllowed());
    assertEquals(desk.clock.instant().plus(Duration.ofMinutes(30)), grant.notAfter(),
        "capped by the tier's break-glass cap");
    AuditEvent loud = desk.audit.stream().filter(e -> e.type() == AuditEventType.BREAK_GLASS)
        .findFirst().orElseThrow();
    assertEquals("oncall-olga", loud.actor());
    assertEquals("payments down at 3 a.m., nobody reachable to approve", loud.justification());
    assertEquals(grant.reference(), loud.grantRef());
    assertFalse(loud.toString().contains(grant.id()), "the event never shows the grant id");
    Notification n = desk.notified.get(0);
    assertEquals(Notification.Kind.BREAK_GLASS, n.kind());
    assertEquals(Set.of("dba-ann", "dba-dan", "sec-sue", "platform"), n.recipients());
    assertEquals(desk.clock.instant().plus(Duration.ofHours(24)), n.dueAt());
    assertFalse(n.text().contains(grant.id()));
  }

  @Test
  void breakGlassIsRefusedWhereTheTierForbidsItAndWithoutEligibility() {
    assertRule(Rule.BREAK_GLASS_FORBIDDEN,
        () -> gov.breakGlass(Desk.oncallBreaksGlass(RiskTiers.MEDIUM).build()));
    assertRule(Rule.NOT_ELIGIBLE, () -> gov.breakGlass(Desk.oncallBreaksGlass(RiskTiers.HIGH)
        .requester("vendor-bob").build()));
    assertRule(Rule.JUSTIFICATION_REQUIRED,
        () -> Desk.oncallBreaksGlass(RiskTiers.HIGH).justification("  urgent  ").build());
    assertEquals(0, desk.grants.size());
  }

  @Test
  void aConfirmedReviewKeepsTheGrantAndNothingHappensAtTheDeadline() {
    Grant grant = gov.breakGlass(Desk.oncallBreaksGlass(RiskTiers.HIGH).build());
    String id = grant.requestId();
    assertRule(Rule.SELF_APPROVAL,
        () -> gov.review(id, "oncall-olga", Review.Verdict.CONFIRMED, "it was me, fine"));
    assertRule(Rule.APPROVER_NOT_ALLOWED,
        () -> gov.review(id, "lead-lee", Review.Verdict.CONFIRMED, "looks right"));
    AccessRequest reviewed = gov.review(id, "dba-ann", Review.Verdict.CONFIRMED,
        "payments outage SEV1-7, restart was needed");
    assertEquals("dba-ann", reviewed.review().reviewer());
    assertRule(Rule.NOT_REVIEWABLE,
        () -> gov.review(id, "sec-sue", Review.Verdict.REJECTED, "second opinion"));
    desk.clock.advance(Duration.ofHours(25));
    assertTrue(desk.store.lockOf("oncall-olga").isEmpty());
    assertEquals(Review.Verdict.CONFIRMED, gov.find(id).orElseThrow().review().verdict());
  }

  @Test
  void aRejectedReviewRevokesTheGrantAtOnce() {
    Grant grant = gov.breakGlass(Desk.oncallBreaksGlass(RiskTiers.HIGH).build());
    gov.review(grant.requestId(), "sec-sue", Review.Verdict.REJECTED, "not an emergency");
    assertFalse(gov.access().check(grant.id(), "admin", "prod/payments").isAllowed());
    assertEquals(GrantState.REVOKED, desk.grants.get(grant.id()).state());
    assertEquals("BREAK_GLASS_REJECTED", desk.grants.get(grant.id()).endReason().code());
    assertEquals(1, desk.notified.stream().filter(n -> n.kind() == Notification.Kind.REVOKED
        && n.recipients().equals(Set.of("platform"))).count(), "the owner hears of the revocation");
  }

  @Test
  void anUnreviewedBreakGlassAtThreeAmIsRevokedAtTheDeadlineAndTheSubjectLockedUntilAnOwnerUnlocks() {
    Grant grant = gov.breakGlass(Desk.oncallBreaksGlass(RiskTiers.HIGH)
        .lifetime(Duration.ofMinutes(10)).build());
    String id = grant.requestId();
    desk.clock.advance(Duration.ofHours(24).minusSeconds(1));
    assertNull(gov.find(id).orElseThrow().review());
    desk.clock.advance(Duration.ofSeconds(1));
    AccessRequest missed = gov.find(id).orElseThrow();
    assertEquals(Review.Verdict.MISSED, missed.review().verdict());
    assertTrue(desk.store.lockOf("oncall-olga").isPresent());
    assertEquals(1, desk.audit.stream()
        .filter(e -> e.type() == AuditEventType.BREAK_GLASS_LOCKED).count());
    assertEquals(1, desk.notified.stream()
        .filter(n -> n.kind() == Notification.Kind.REVIEW_MISSED).count());
    assertEquals(0, desk.notified.stream().filter(n -> n.kind() == Notification.Kind.REVOKED)
        .count(), "the grant had expired long before: nothing was revoked");
    assertRule(Rule.NOT_REVIEWABLE,
        () -> gov.review(id, "dba-ann", Review.Verdict.CONFIRMED, "too late now"));
    assertRule(Rule.BREAK_GLASS_LOCKED,
        () -> gov.breakGlass(Desk.oncallBreaksGlass(RiskTiers.HIGH).build()));

    assertRule(Rule.NOT_OWNER, () -> gov.unlockBreakGlass("oncall-olga", "dba-ann"));
    assertRule(Rule.SELF_APPROVAL, () -> gov.unlockBreakGlass("oncall-olga", "oncall-olga"));
    assertTrue(gov.unlockBreakGlass("oncall-olga", "lead-lee"));
    assertFalse(gov.unlockBreakGlass("oncall-olga", "lead-lee"));
    assertTrue(gov.breakGlass(Desk.oncallBreaksGlass(RiskTiers.HIGH).build()).isActive());
  }

  @Test
  void aMissedReviewRevokesAGrantStillAlive() {
    Desk quick = new Desk(new InMemoryGovernanceStore(),
        b -> b.reviewDeadline(Duration.ofMinutes(15)));
    Grant alive = quick.gov.breakGlass(Desk.oncallBreaksGlass(RiskTiers.HIGH).build());
    quick.clock.advance(Duration.ofMinutes(14));
    assertTrue(quick.gov.access().check(alive.id(), "admin", "prod/payments").isAllowed());
    quick.clock.advance(Duration.ofMinutes(1));
    assertFalse(quick.gov.access().check(alive.id(), "admin", "prod/payments").isAllowed());
    Grant ended = quick.grants.get(alive.id());
    assertEquals(GrantState.REVOKED, ended.state());
    assertEquals("BREAK_GLASS_UNREVIEWED", ended.endReason().code());
  }

  @Test
  void breakGlassGrantsDoNotRenew() {
    Grant grant = gov.breakGlass(Desk.oncallBreaksGlass(RiskTiers.HIGH).build());
    dev.jitaccess.GrantDeniedException e = assertThrows(dev.jitaccess.GrantDeniedException.class,
        () -> gov.access().renew(grant.id(), Duration.ofMinutes(5)));
    assertTrue(e.getMessage().contains("RENEWAL_NOT_ALLOWED"), e.getMessage());
  }
}
