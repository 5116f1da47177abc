package dev.jitaccess.governance;

import static dev.jitaccess.AuditEventType.ACTIVATED;
import static dev.jitaccess.AuditEventType.APPROVED;
import static dev.jitaccess.AuditEventType.CANCELLED;
import static dev.jitaccess.AuditEventType.ISSUED;
import static dev.jitaccess.AuditEventType.REJECTED;
import static dev.jitaccess.AuditEventType.REQUESTED;
import static dev.jitaccess.AuditEventType.REQUEST_EXPIRED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.Decision;
import dev.jitaccess.Grant;
import dev.jitaccess.governance.GovernanceException.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** A request from asking to its grant: approvals, rejections, cancelling, expiry, activation. */
class RequestLifecycleTest {
  private final Desk desk = new Desk();
  private final Governance gov = desk.gov;

  private static void assertRule(Rule rule, Runnable call) {
    GovernanceException e = assertThrows(GovernanceException.class, call::run);
    assertEquals(rule, e.rule(), e.getMessage());
    assertTrue(e.getMessage().startsWith(rule.name() + ": "), e.getMessage());
  }

  @Nested
  class Approvals {
    @Test
    void aHighRequestNeedsTwoApprovalsFromTwoTeamsThenActivatesIntoAGrantThatRecordsIt() {
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.HIGH).build());
      assertEquals(RequestState.PENDING, r.state());
      AccessRequest once = gov.approve(r.id(), "dba-ann");
      assertEquals(RequestState.PENDING, once.state(), "one approval of two");
      assertEquals("db", once.approvals().get(0).team());
      assertRule(Rule.SAME_TEAM, () -> gov.approve(r.id(), "dba-dan"));
      AccessRequest twice = gov.approve(r.id(), "sec-sue");
      assertEquals(RequestState.APPROVED, twice.state());

      Grant grant = gov.activate(r.id(), "vendor-bob");
      assertEquals(RiskTiers.HIGH, grant.tier());
      assertEquals(r.id(), grant.requestId());
      assertEquals(desk.clock.instant().plus(Duration.ofMinutes(30)), grant.expiresAt());
      assertEquals(Decision.allow().isAllowed(),
          gov.access().check(grant.id(), "read", "db/orders").isAllowed());
      AccessRequest active = gov.find(r.id()).orElseThrow();
      assertEquals(RequestState.ACTIVE, active.state());
      assertEquals(List.of(REQUESTED, APPROVED, APPROVED, ISSUED, ACTIVATED),
          desk.eventsOf(r.id()), "the grant's ISSUED event names its request too");
    }

    @Test
    void aLowRequestIsApprovedWhenMade() {
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.LOW).build());
      assertEquals(RequestState.APPROVED, r.state());
      assertTrue(gov.activate(r.id(), "vendor-bob").isActive());
    }

    @Test
    void theRequesterAndTheSubjectNeverApproveAndNoOneDecidesTwice() {
      EligibilityRule selfish = EligibilityRule.builder("selfish").requesters("dba-ann")
          .subjects("dba-dan").scope("read:db/**").tiers(RiskTiers.MEDIUM)
          .approvers("group:dba").build();
      gov.rules().put(selfish);
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).requester("dba-ann")
          .subject("dba-dan").build());
      assertRule(Rule.SELF_APPROVAL, () -> gov.approve(r.id(), "dba-ann"));
      assertRule(Rule.SELF_APPROVAL, () -> gov.approve(r.id(), "dba-dan"));
      assertRule(Rule.SELF_APPROVAL, () -> gov.reject(r.id(), "dba-dan", "not needed today"));

      AccessRequest high = gov.request(Desk.vendorAsks(RiskTiers.HIGH).build());
      gov.approve(high.id(), "dba-ann");
      assertRule(Rule.ALREADY_DECIDED, () -> gov.approve(high.id(), "dba-ann"));
      assertRule(Rule.ALREADY_DECIDED, () -> gov.reject(high.id(), "dba-ann", "changed my mind"));
    }

    @Test
    void anApproverOutsideTheRulesApproversIsRefused() {
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build());
      assertRule(Rule.APPROVER_NOT_ALLOWED, () -> gov.approve(r.id(), "oncall-olga"));
      assertRule(Rule.APPROVER_NOT_ALLOWED, () -> gov.approve(r.id(), "stranger"));
      assertEquals(0, gov.find(r.id()).orElseThrow().approvals().size());
    }

    @Test
    void approvingARequestThatIsNotPendingIsRefusedNamingItsState() {
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build());
      gov.approve(r.id(), "dba-ann");
      RequestStateException e = assertThrows(RequestStateException.class,
          () -> gov.approve(r.id(), "sec-sue"));
      assertEquals(RequestState.APPROVED, e.state());
      assertEquals(Rule.ILLEGAL_TRANSITION, e.rule());
      assertRule(Rule.UNKNOWN_REQUEST, () -> gov.approve("req_nothing", "sec-sue"));
    }

    @Test
    void aRejectionNeedsAReasonAndEndsTheRequest() {
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.HIGH).build());
      assertRule(Rule.REASON_REQUIRED, () -> gov.reject(r.id(), "dba-ann", " "));
      assertRule(Rule.REASON_REQUIRED, () -> gov.reject(r.id(), "dba-ann", "a\u0000b"));
      gov.approve(r.id(), "sec-sue");
      AccessRequest rejected = gov.reject(r.id(), "dba-ann", "use the read replica instead");
      assertEquals(RequestState.REJECTED, rejected.state());
      assertEquals("use the read replica instead", rejected.rejections().get(0).reason());
      assertThrows(RequestStateException.class, () -> gov.activate(r.id(), "vendor-bob"));
      AuditEvent event = desk.audit.stream().filter(e -> e.type() == REJECTED).findFirst()
          .orElseThrow();
      assertEquals("dba-ann", event.actor());
      assertEquals("use the read replica instead", event.detail());
    }
  }

  @Nested
  class CancellingAndExpiry {
    @Test
    void onlyTheRequesterCancelsAPendingOrApprovedRequest() {
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build());
      assertRule(Rule.NOT_REQUESTER, () -> gov.cancel(r.id(), "dba-ann"));
      assertEquals(RequestState.CANCELLED, gov.cancel(r.id(), "vendor-bob").state());
      assertThrows(RequestStateException.class, () -> gov.cancel(r.id(), "vendor-bob"));
      assertEquals(List.of(REQUESTED, CANCELLED), desk.eventsOf(r.id()));
    }

    @Test
    void aPendingRequestExpiresAfterItsTtlOnTheTimer() {
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build());
      desk.clock.advance(Duration.ofMinutes(59));
      assertEquals(RequestState.PENDING, gov.find(r.id()).orElseThrow().state());
      desk.clock.advance(Duration.ofMinutes(1));
      assertEquals(RequestState.EXPIRED, gov.find(r.id()).orElseThrow().state());
      assertEquals(List.of(REQUESTED, REQUEST_EXPIRED), desk.eventsOf(r.id()));
      assertThrows(RequestStateException.class, () -> gov.approve(r.id(), "dba-ann"));
    }

    @Test
    void anApprovalNotActivatedWithinItsWindowExpiresAndActivatingItIsRefused() {
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build());
      gov.approve(r.id(), "dba-ann");
      desk.clock.advance(Duration.ofHours(1));
      assertRule(Rule.APPROVAL_EXPIRED, () -> gov.activate(r.id(), "vendor-bob"));
      assertEquals(RequestState.EXPIRED, gov.find(r.id()).orElseThrow().state());
    }

    @Test
    void aDeadlineIsMetBySweepEvenWithoutItsTimer() {
      Desk noTimers = new Desk(new InMemoryGovernanceStore(), b -> {});
      AccessRequest r = noTimers.gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build());
      noTimers.clock.setTo(noTimers.clock.instant().plus(Duration.ofHours(2)));
      assertEquals(RequestState.EXPIRED,
          noTimers.gov.find(r.id()).orElseThrow().state(), "the timer ran as the clock moved");
      assertEquals(0, noTimers.gov.sweep(), "nothing left to do");
    }
  }

  @Nested
  class Activation {
    @Test
    void onlyTheRequesterActivatesAndOnlyOnce() {
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build());
      gov.approve(r.id(), "dba-ann");
      assertRule(Rule.NOT_REQUESTER, () -> gov.activate(r.id(), "dba-ann"));
      gov.activate(r.id(), "vendor-bob");
      assertThrows(RequestStateException.class, () -> gov.activate(r.id(), "vendor-bob"));
    }

    @Test
    void aScheduledStartIsHonouredAndTheLifetimeCountsFromActivation() {
      Instant start = desk.clock.instant().plus(Duration.ofHours(2));
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).startAt(start).build());
      gov.approve(r.id(), "dba-ann");
      assertRule(Rule.NOT_YET_STARTED, () -> gov.activate(r.id(), "vendor-bob"));
      desk.clock.advance(Duration.ofHours(2).plusMinutes(10));
      Grant grant = gov.activate(r.id(), "vendor-bob");
      assertEquals(desk.clock.instant(), grant.issuedAt());
      assertEquals(desk.clock.instant().plus(Duration.ofMinutes(30)), grant.expiresAt());
    }

    @Test
    void aRequestWhoseEligibilityWasRemovedIsNeitherApprovedNorActivated() {
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.HIGH).build());
      gov.approve(r.id(), "dba-ann");
      gov.approve(r.id(), "sec-sue");
      assertTrue(gov.rules().remove("vendor-db"));
      assertRule(Rule.NOT_ELIGIBLE, () -> gov.activate(r.id(), "vendor-bob"));
      assertEquals(0, desk.grants.size(), "no grant was minted");
      AccessRequest other = gov.find(r.id()).orElseThrow();
      assertEquals(RequestState.APPROVED, other.state());
    }

    @Test
    void theRuntimeMintsNothingThatGovernanceDidNotActivate() {
      AccessRequest r = gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build());
      gov.approve(r.id(), "dba-ann");
      dev.jitaccess.GrantDeniedException e = assertThrows(dev.jitaccess.GrantDeniedException.class,
          () -> gov.access().request(dev.jitaccess.GrantRequest.builder().subject("vendor-bob")
              .owner("platform").task("INC-1").purpose("sneak").scope("read:db/orders")
              .ttl(dev.jitaccess.Ttl.of(Duration.ofMinutes(5)))
              .context(dev.jitaccess.RequestContext.builder().requestId(r.id())
                  .tier(RiskTiers.MEDIUM).build())
              .build()));
      assertTrue(e.getMessage().contains("NOT_REQUESTED"), e.getMessage());
      assertEquals(RequestState.APPROVED, gov.find(r.id()).orElseThrow().state());
    }
  }

  @Nested
  class BadRequests {
    @Test
    void aRequesterOutsideEveryRuleIsRefusedBeforeAnyoneIsAsked() {
      assertRule(Rule.NOT_ELIGIBLE,
          () -> gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).requester("stranger").build()));
      assertRule(Rule.NOT_ELIGIBLE,
          () -> gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).scope("write:db/orders").build()));
      assertRule(Rule.NOT_ELIGIBLE,
          () -> gov.request(Desk.vendorAsks(RiskTiers.CRITICAL).build()));
      assertRule(Rule.NOT_ELIGIBLE,
          () -> gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).subject("someone-else").build()));
      assertTrue(gov.pending(10).isEmpty());
      assertTrue(desk.audit.isEmpty(), "nothing was requested");
    }

    @Test
    void anUnknownTierAndALifetimeOverTheTiersMaximumAreRefused() {
      assertRule(Rule.UNKNOWN_TIER, () -> gov.request(Desk.vendorAsks("ULTRA").build()));
      assertRule(Rule.OUT_OF_BOUNDS, () -> gov.request(Desk.vendorAsks(RiskTiers.HIGH)
          .lifetime(Duration.ofHours(2)).build()));
      assertRule(Rule.OUT_OF_BOUNDS, () -> gov.request(Desk.vendorAsks(RiskTiers.HIGH)
          .startAt(desk.clock.instant().minusSeconds(1)).build()));
      assertRule(Rule.OUT_OF_BOUNDS, () -> gov.request(Desk.vendorAsks(RiskTiers.HIGH)
          .startAt(desk.clock.instant().plus(Duration.ofDays(8))).build()));
    }

    @Test
    void aMissingOrMalformedJustificationIsRefused() {
      GovernanceException missing = assertThrows(GovernanceException.class,
          () -> RequestSpec.builder().requester("vendor-bob").owner("o").task("t").purpose("p")
              .scope("read:db/x").lifetime(Duration.ofMinutes(5)).tier(RiskTiers.LOW).build());
      assertEquals(Rule.JUSTIFICATION_REQUIRED, missing.rule());
      assertRule(Rule.JUSTIFICATION_REQUIRED,
          () -> Desk.vendorAsks(RiskTiers.LOW).justification("because").build());
      assertRule(Rule.JUSTIFICATION_REQUIRED,
          () -> Desk.vendorAsks(RiskTiers.LOW).justification("fine\u202Eoverride text").build());
      assertRule(Rule.JUSTIFICATION_REQUIRED,
          () -> Desk.vendorAsks(RiskTiers.LOW).justification("x".repeat(1025)).build());
    }

    @Test
    void aRequestsFieldsAreCheckedNamingTheField() {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Desk.vendorAsks(RiskTiers.LOW).lifetime(Duration.ZERO).build());
      assertEquals("lifetime must be > 0, was PT0S", e.getMessage());
      NullPointerException n = assertThrows(NullPointerException.class,
          () -> RequestSpec.builder().build());
      assertEquals("requester must not be null", n.getMessage());
      assertFalse(gov.find("req_missing").isPresent());
    }
  }
}
