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
import dev.jitaccess.governance.spi.Notification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Owners and orphans, and recertification that acts on a lapse: all on the fake clock. */
class StewardshipTest {
  private final Set<String> gone = ConcurrentHashMap.newKeySet();

  private Desk desk(Consumer<GovernanceBuilder> more) {
    return new Desk(new InMemoryGovernanceStore(), b -> {
      b.ownerDirectory(owner -> !gone.contains(owner)).sweepEvery(Duration.ofMinutes(10));
      more.accept(b);
    });
  }

  private static Grant mediumGrant(Desk desk) {
    AccessRequest r = desk.gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build());
    desk.gov.approve(r.id(), "dba-ann");
    return desk.gov.activate(r.id(), "vendor-bob");
  }

  private static long count(Desk desk, AuditEventType type) {
    return desk.audit.stream().filter(e -> e.type() == type).count();
  }

  private static void assertRule(Rule rule, Runnable call) {
    GovernanceException e = assertThrows(GovernanceException.class, call::run);
    assertEquals(rule, e.rule(), e.getMessage());
  }

  @Test
  void anOwnerThatIsNotActiveIsRefusedAtRequestBreakGlassAndBundle() {
    gone.add("platform");
    Desk desk = desk(b -> {});
    assertRule(Rule.UNKNOWN_OWNER, () -> desk.gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build()));
    assertRule(Rule.UNKNOWN_OWNER,
        () -> desk.gov.breakGlass(Desk.oncallBreaksGlass(RiskTiers.HIGH).build()));
    Instant now = desk.clock.instant();
    assertRule(Rule.UNKNOWN_OWNER, () -> desk.gov.bundles().create(new BundleSpec("b", "platform",
        "lead-lee", Scope.parse("read:x"), RiskTiers.LOW, now, now.plus(Duration.ofDays(1)))));
    gone.clear();
    Desk throwing = new Desk(new InMemoryGovernanceStore(), b -> b.ownerDirectory(owner -> {
      throw new IllegalStateException("directory down");
    }));
    assertRule(Rule.UNKNOWN_OWNER,
        () -> throwing.gov.request(Desk.vendorAsks(RiskTiers.MEDIUM).build()));
  }

  @Test
  void theOrphanSweepNotifiesOncePerOrphanByDefault() {
    Desk desk = desk(b -> {});
    Grant grant = mediumGrant(desk);
    gone.add("platform");
    desk.clock.advance(Duration.ofMinutes(10));
    desk.clock.advance(Duration.ofMinutes(10));
    assertEquals(1, count(desk, AuditEventType.ORPHAN_FOUND), "once, not every sweep");
    assertTrue(desk.gov.access().check(grant.id(), "read", "db/orders").isAllowed());
  }

  @Test
  void theOrphanSweepRevokesWhenToldTo() {
    Desk desk = desk(b -> b.onOrphan(OnOrphan.REVOKE, null));
    Grant grant = mediumGrant(desk);
    gone.add("platform");
    desk.clock.advance(Duration.ofMinutes(10));
    assertEquals(GrantState.REVOKED, desk.grants.get(grant.id()).state());
    assertEquals("ORPHANED", desk.grants.get(grant.id()).endReason().code());
  }

  @Test
  void theOrphanSweepReassignsToTheFallbackOwnerWhoHearsOfIt() {
    Desk desk = desk(b -> b.onOrphan(OnOrphan.REASSIGN, "security-office"));
    Grant grant = mediumGrant(desk);
    Instant now = desk.clock.instant();
    desk.gov.bundles().create(new BundleSpec("peak", "platform", "lead-lee",
        Scope.parse("read:tickets/**"), RiskTiers.LOW, now, now.plus(Duration.ofDays(10))));
    gone.add("platform");
    desk.clock.advance(Duration.ofMinutes(10));
    assertEquals("security-office", desk.gov.find(grant.requestId()).orElseThrow().owner());
    assertEquals("security-office", desk.gov.bundles().find("peak").orElseThrow().owner());
    assertEquals(2, count(desk, AuditEventType.OWNER_REASSIGNED));
    assertEquals(2, desk.notified.stream().filter(n -> n.kind() == Notification.Kind.ORPHANED
        && n.recipients().equals(Set.of("security-office"))).count());
    assertTrue(desk.gov.access().check(grant.id(), "read", "db/orders").isAllowed());
  }

  /** MEDIUM with a short recertification interval, so a grant lives to see it. */
  private static RiskTiers shortRecertification(LapseAction onLapse) {
    return RiskTiers.of(RiskTier.builder(RiskTiers.MEDIUM).maxLifetime(Duration.ofHours(2))
        .hardCap(Duration.ofDays(3)).recertifyEvery(Duration.ofDays(1)).onLapse(onLapse).build(),
        RiskTier.builder(RiskTiers.LOW).rank(0).approvals(0).recertifyEvery(Duration.ofDays(2))
            .onLapse(onLapse).build());
  }

  /** Keeps {@code grant} alive by renewing it every 20 minutes for {@code hours}. */
  private static Grant renewFor(Desk desk, Grant grant, int hours) {
    Grant g = grant;
    for (int i = 0; i < hours * 3; i++) {
      desk.clock.advance(Duration.ofMinutes(20));
      g = desk.gov.access().renew(g.id(), Duration.ofHours(2));
    }
    return g;
  }

  @Test
  void aLongLivedGrantIsDueItsOwnerIsToldAndALapseRevokesIt() {
    Desk desk = desk(b -> b.tiers(shortRecertification(LapseAction.REVOKE)));
    Grant grant = mediumGrant(desk);
    String item = "request:" + grant.requestId();
    assertTrue(desk.gov.recertificationsDue().isEmpty());
    assertRule(Rule.NOT_DUE, () -> desk.gov.recertify(item, "platform", true, "still needed"));
    grant = renewFor(desk, grant, 20);
    assertEquals(Map.of(item, grant.issuedAt().plus(Duration.ofDays(1))),
        desk.gov.recertificationsDue(), "within the notice: due a day after activation");
    assertTrue(desk.notified.stream().anyMatch(n -> n.kind()
        == Notification.Kind.RECERTIFICATION_DUE && n.recipients().equals(Set.of("platform"))));
    grant = renewFor(desk, grant, 3);
    desk.clock.advance(Duration.ofMinutes(62));
    assertEquals(GrantState.REVOKED, desk.grants.get(grant.id()).state());
    assertEquals("RECERTIFICATION_LAPSED", desk.grants.get(grant.id()).endReason().code());
    assertEquals(1, count(desk, AuditEventType.RECERTIFICATION_LAPSED));
  }

  @Test
  void anOwnersRecertificationKeepsTheGrantForAnotherInterval() {
    Desk desk = desk(b -> b.tiers(shortRecertification(LapseAction.REVOKE)));
    Grant grant = renewFor(desk, mediumGrant(desk), 20);
    String item = "request:" + grant.requestId();
    assertRule(Rule.NOT_OWNER, () -> desk.gov.recertify(item, "dba-ann", true, "fine by me"));
    assertRule(Rule.REASON_REQUIRED, () -> desk.gov.recertify(item, "lead-lee", true, " "));
    Certification kept = desk.gov.recertify(item, "lead-lee", true, "sync work continues");
    assertTrue(kept.keep());
    grant = renewFor(desk, grant, 8);
    assertTrue(desk.gov.access().check(grant.id(), "read", "db/orders").isAllowed(),
        "recertified: no lapse at the first due time");
    assertEquals(0, count(desk, AuditEventType.RECERTIFICATION_LAPSED));
  }

  @Test
  void aLapseThatSuspendsStopsRenewalUntilRecertified() {
    Desk desk = desk(b -> b.tiers(shortRecertification(LapseAction.SUSPEND)));
    Grant grant = renewFor(desk, mediumGrant(desk), 23);
    desk.clock.advance(Duration.ofMinutes(70));
    String id = grant.id();
    assertTrue(desk.gov.access().check(id, "read", "db/orders").isAllowed(),
        "suspended, not revoked");
    assertTrue(assertThrows(dev.jitaccess.GrantDeniedException.class,
        () -> desk.gov.access().renew(id, Duration.ofHours(1))).getMessage()
        .contains("RECERTIFICATION_LAPSED"));
    desk.gov.recertify("request:" + grant.requestId(), "lead-lee", true, "looked, still needed");
    assertTrue(desk.gov.access().renew(id, Duration.ofHours(1)).isActive());
  }

  @Test
  void aBundleNeedsRecertificationAndARefusalEndsItAndItsGrants() {
    Desk desk = desk(b -> b.tiers(shortRecertification(LapseAction.NOTIFY)));
    Instant now = desk.clock.instant();
    Bundles bundles = desk.gov.bundles();
    bundles.create(new BundleSpec("peak", "platform", "lead-lee",
        Scope.parse("read:tickets/**"), RiskTiers.LOW, now, now.plus(Duration.ofDays(30))));
    bundles.addMembers("peak", List.of("temp-1"), "lead-lee");
    desk.clock.advance(Duration.ofDays(1));
    Grant g = bundles.activate("peak", "temp-1", "shift", "support",
        Scope.parse("read:tickets/1"), Duration.ofHours(1));
    assertTrue(desk.gov.recertificationsDue().containsKey("bundle:peak"));
    desk.clock.advance(Duration.ofDays(1));
    assertEquals(1, count(desk, AuditEventType.RECERTIFICATION_LAPSED), "NOTIFY: audited once");
    assertEquals(BundleState.ACTIVE, bundles.find("peak").orElseThrow().state());
    Grant g2 = bundles.activate("peak", "temp-1", "shift", "support",
        Scope.parse("read:tickets/1"), Duration.ofHours(1));
    desk.gov.recertify("bundle:peak", "lead-lee", false, "peak is over");
    assertEquals(BundleState.REVOKED, bundles.find("peak").orElseThrow().state());
    assertFalse(desk.gov.access().check(g2.id(), "read", "tickets/1").isAllowed());
    assertFalse(desk.gov.access().check(g.id(), "read", "tickets/1").isAllowed());
  }
}
