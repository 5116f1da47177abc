package dev.jitaccess.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.Scope;
import dev.jitaccess.governance.GovernanceException.Rule;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pre-approved bundles: bulk membership, activation without approval, and an end that ends all. */
class BundleTest {
  private final Desk desk = new Desk();
  private final Bundles bundles = desk.gov.bundles();
  private final Instant now = desk.clock.instant();

  private Bundle holiday(Duration window) {
    return bundles.create(new BundleSpec("holiday-2026", "support-leads", "lead-lee",
        Scope.parse("read:tickets/**", "write:tickets/*/notes"), RiskTiers.MEDIUM, now,
        now.plus(window)));
  }

  private static List<String> workers(int n) {
    List<String> list = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      list.add("seasonal-" + i);
    }
    return list;
  }

  private Grant activate(String member) {
    return bundles.activate("holiday-2026", member, "shift-" + member, "holiday support",
        Scope.parse("read:tickets/**"), Duration.ofHours(4));
  }

  private static void assertRule(Rule rule, Runnable call) {
    GovernanceException e = assertThrows(GovernanceException.class, call::run);
    assertEquals(rule, e.rule(), e.getMessage());
  }

  @Test
  void aMemberActivatesWithoutApprovalWithinTheBundlesLimits() {
    holiday(Duration.ofDays(20));
    assertEquals(1000, bundles.addMembers("holiday-2026", workers(1000), "lead-lee"));
    assertEquals(0, bundles.addMembers("holiday-2026", workers(10), "lead-lee"), "idempotent");
    Grant grant = activate("seasonal-7");
    assertTrue(desk.gov.access().check(grant.id(), "read", "tickets/42").isAllowed());
    assertFalse(desk.gov.access().check(grant.id(), "write", "tickets/42").isAllowed());
    assertEquals("bundle:holiday-2026", grant.requestId());
    assertEquals(RiskTiers.MEDIUM, grant.tier());
    assertEquals(1000, bundles.memberCount("holiday-2026"));
  }

  @Test
  void theBundlesEndOnTheTimerEndsEveryGrantFromItWithItsOwnReason() {
    holiday(Duration.ofDays(1));
    bundles.addMembers("holiday-2026", workers(300), "lead-lee");
    List<Grant> grants = new ArrayList<>();
    desk.clock.advance(Duration.ofHours(23));
    for (int i = 0; i < 300; i++) {
      grants.add(activate("seasonal-" + i));
    }
    assertTrue(grants.get(0).notAfter().compareTo(now.plus(Duration.ofDays(1))) <= 0,
        "capped at the bundle's end");
    desk.clock.advance(Duration.ofMinutes(30));
    assertTrue(desk.gov.access().check(grants.get(299).id(), "read", "tickets/1").isAllowed());
    String first = grants.get(0).id();
    assertTrue(assertThrows(dev.jitaccess.GrantDeniedException.class,
        () -> desk.gov.access().renew(first, Duration.ofHours(4))).getMessage()
        .contains("HARD_CAP_REACHED"), "no renewal past the bundle's end");
    desk.clock.advance(Duration.ofMinutes(30));
    assertEquals(BundleState.ENDED, bundles.find("holiday-2026").orElseThrow().state());
    for (Grant g : grants) {
      assertFalse(desk.gov.access().check(g.id(), "read", "tickets/1").isAllowed());
    }
    assertEquals(1, desk.audit.stream().filter(e -> e.type() == AuditEventType.BUNDLE_ENDED)
        .count());
    assertRule(Rule.OUTSIDE_WINDOW, () -> activate("seasonal-1"));
  }

  @Test
  void endingABundleEarlyRevokesEveryGrantWithTheRevokeReason() {
    holiday(Duration.ofDays(5));
    bundles.addMembers("holiday-2026", workers(5), "lead-lee");
    Grant g = activate("seasonal-1");
    Bundle ended = bundles.end("holiday-2026", "lead-lee", true);
    assertEquals(BundleState.REVOKED, ended.state());
    Grant after = desk.grants.get(g.id());
    assertEquals(GrantState.REVOKED, after.state());
    assertEquals(Bundles.BUNDLE_REVOKED, after.endReason().code());
    assertEquals(ended, bundles.end("holiday-2026", "lead-lee", false), "ending twice is a no-op");
  }

  @Test
  void removingAMemberEndsTheirGrantsAndOnlyTheirs() {
    holiday(Duration.ofDays(5));
    bundles.addMembers("holiday-2026", workers(3), "lead-lee");
    Grant mine = activate("seasonal-0");
    Grant theirs = activate("seasonal-1");
    assertEquals(List.of("seasonal-0"),
        bundles.removeMembers("holiday-2026", List.of("seasonal-0", "nobody"), "lead-lee"));
    assertEquals(Bundles.MEMBER_REMOVED, desk.grants.get(mine.id()).endReason().code());
    assertTrue(desk.gov.access().check(theirs.id(), "read", "tickets/1").isAllowed());
    assertRule(Rule.NOT_MEMBER, () -> activate("seasonal-0"));
  }

  @Test
  void badBundlesAndActivationsAreRefusedNamingTheRule() {
    assertRule(Rule.BUNDLE_WINDOW, () -> bundles.create(new BundleSpec("b", "o", "lead-lee",
        Scope.parse("read:x"), RiskTiers.MEDIUM, now, now.minusSeconds(1))));
    assertRule(Rule.BUNDLE_WINDOW, () -> bundles.create(new BundleSpec("b", "o", "lead-lee",
        Scope.parse("read:x"), RiskTiers.HIGH, now, now.plus(Duration.ofDays(8)))));
    assertRule(Rule.UNKNOWN_TIER, () -> bundles.create(new BundleSpec("b", "o", "lead-lee",
        Scope.parse("read:x"), "ULTRA", now, now.plus(Duration.ofDays(1)))));
    assertRule(Rule.UNKNOWN_BUNDLE, () -> activate("seasonal-1"));

    bundles.create(new BundleSpec("holiday-2026", "support-leads", "lead-lee",
        Scope.parse("read:tickets/**"), RiskTiers.MEDIUM, now.plus(Duration.ofDays(1)),
        now.plus(Duration.ofDays(3))));
    assertRule(Rule.UNKNOWN_BUNDLE, () -> holiday(Duration.ofDays(1)));
    bundles.addMembers("holiday-2026", List.of("seasonal-1"), "lead-lee");
    assertRule(Rule.OUTSIDE_WINDOW, () -> activate("seasonal-1"));
    desk.clock.advance(Duration.ofDays(1));
    assertRule(Rule.NOT_MEMBER, () -> activate("stranger"));
    assertRule(Rule.NOT_ELIGIBLE, () -> bundles.activate("holiday-2026", "seasonal-1", "t",
        "p", Scope.parse("write:tickets/1"), Duration.ofHours(1)));
    assertRule(Rule.OUT_OF_BOUNDS, () -> bundles.activate("holiday-2026", "seasonal-1", "t",
        "p", Scope.parse("read:tickets/1"), Duration.ofHours(5)));
    assertTrue(activate("seasonal-1").isActive());
  }

  @Test
  void aBundlesGrantRenewsOnlyWhileItsMemberBelongs() {
    holiday(Duration.ofDays(5));
    bundles.addMembers("holiday-2026", workers(2), "lead-lee");
    Grant g = activate("seasonal-0");
    desk.gov.access().renew(g.id(), Duration.ofHours(2));
    Grant other = activate("seasonal-1");
    bundles.removeMembers("holiday-2026", List.of("seasonal-0"), "lead-lee");
    assertThrows(dev.jitaccess.JitAccessException.class,
        () -> desk.gov.access().renew(g.id(), Duration.ofHours(2)),
        "its grant ended with the membership");
    // The policy refuses a grant whose member left, even one that had not ended yet.
    assertEquals("NOT_MEMBER", new GovernancePolicy(contextOf(desk)).onRenewal(
        desk.grants.get(other.id()).toBuilder().subject("seasonal-0").build(),
        Duration.ofHours(1)).reason());
  }

  private static Context contextOf(Desk desk) {
    return ((DefaultGovernance) desk.gov).context();
  }
}
