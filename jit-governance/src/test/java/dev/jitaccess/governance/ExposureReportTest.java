package dev.jitaccess.governance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.spi.GrantStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What each live grant shows in an exposure report, and the smells it is flagged with. */
class ExposureReportTest {

  private static ExposureRow only(ExposureReport report) {
    assertEquals(1, report.rows().size(), report.toString());
    return report.rows().get(0);
  }

  private static ExposureRow rowOf(ExposureReport report, Grant grant) {
    return report.rows().stream().filter(r -> r.reference().equals(grant.reference()))
        .findFirst().orElseThrow();
  }

  @Test
  void aLiveGrantShowsItsAgeOwnerTierSubjectTaskScopeRemainingTimeAndOrigin() {
    Overseen o = new Overseen(b -> {});
    Instant issued = o.clock.instant();
    Grant grant = o.mint(Overseen.asks(RiskTiers.MEDIUM, "INC-1", Duration.ofHours(2))
        .subject("svc-a").build());
    o.clock.advance(Duration.ofMinutes(25));

    ExposureReport report = o.gov.exposure(ExposureQuery.all());
    ExposureRow row = only(report);
    assertEquals(o.clock.instant(), report.generatedAt());
    assertEquals(grant.reference(), row.reference());
    assertEquals("svc-a", row.subject());
    assertEquals("platform", row.owner());
    assertEquals(RiskTiers.MEDIUM, row.tier());
    assertEquals("INC-1", row.task());
    assertEquals(Scope.parse("read:db/orders"), row.scope());
    assertEquals(issued, row.issuedAt());
    assertEquals(Duration.ofMinutes(25), row.age());
    assertEquals(Duration.ofMinutes(95), row.remaining());
    assertEquals(ExposureRow.Origin.REQUEST, row.origin());
    assertEquals(grant.requestId(), row.requestId());
    assertEquals(0, row.renewals());
    assertTrue(row.renewalsExact());
    assertEquals(0, row.delegationDepth());
    assertFalse(row.usageKnown(), "last use is not tracked unless asked for");
    assertEquals(Set.of(), row.smells());
    assertEquals(1, report.totals().live());
  }

  @Test
  void endedGrantsAreNotInTheReport() {
    Overseen o = new Overseen(b -> {});
    Grant revoked = o.low("INC-1", Duration.ofHours(1));
    o.low("INC-2", Duration.ofMinutes(30));
    Grant alive = o.low("INC-3", Duration.ofHours(2));
    o.gov.access().revoke(revoked.id(), RevocationReason.MANUAL);
    o.clock.advance(Duration.ofMinutes(30));
    ExposureReport report = o.gov.exposure(ExposureQuery.all());
    assertEquals(alive.reference(), only(report).reference());
    assertEquals(1, report.totals().live());
  }

  @Test
  void renewalsAreCountedAndFlaggedOverTheThreshold() {
    Overseen o = new Overseen(b -> b.exposureThresholds(new ExposureThresholds(2, 1000)));
    Grant often = o.low("often", Duration.ofHours(1));
    Grant twice = o.low("twice", Duration.ofHours(1));
    for (int i = 0; i < 3; i++) {
      o.clock.advance(Duration.ofMinutes(30));
      o.gov.access().renew(often.id(), Duration.ofHours(1));
      if (i < 2) {
        o.gov.access().renew(twice.id(), Duration.ofHours(1));
      }
    }
    ExposureReport report = o.gov.exposure(ExposureQuery.all());
    assertEquals(3, rowOf(report, often).renewals());
    assertEquals(Set.of(ExposureSmell.RENEWED_OFTEN), rowOf(report, often).smells());
    assertEquals(2, rowOf(report, twice).renewals());
    assertEquals(Set.of(), rowOf(report, twice).smells());
  }

  @Test
  void aGrantOlderThanItsTiersLifetimeIsFlaggedUnlessTheMultipleAllowsIt() {
    Overseen strict = new Overseen(b -> b.exposureThresholds(new ExposureThresholds(100, 1)));
    Overseen lenient = strict.replica(b -> b.exposureThresholds(new ExposureThresholds(100, 2)));
    Grant grant = strict.low("INC-1", Duration.ofHours(1));
    for (int i = 0; i < 17; i++) {
      strict.clock.advance(Duration.ofMinutes(30));
      strict.gov.access().renew(grant.id(), Duration.ofHours(1));
    }
    assertEquals(Duration.ofMinutes(510), only(strict.gov.exposure(ExposureQuery.all())).age());
    assertEquals(Set.of(ExposureSmell.OLDER_THAN_TIER),
        only(strict.gov.exposure(ExposureQuery.all())).smells(), "LOW lives 8 h at most");
    assertEquals(Set.of(), only(lenient.gov.exposure(ExposureQuery.all())).smells(),
        "within twice the tier's lifetime");
  }

  @Test
  void lastUseIsShownAndNeverUsedFlaggedOnlyWhenUsageIsTracked() {
    Overseen o = new Overseen(GovernanceBuilder::trackLastUse);
    Overseen untracked = o.replica(b -> {});
    Grant used = o.low("used", Duration.ofHours(1));
    Grant idle = o.low("idle", Duration.ofHours(1));
    o.clock.advance(Duration.ofMinutes(5));
    Instant usedAt = o.clock.instant();
    assertTrue(o.gov.access().check(used.id(), "read", "db/orders").isAllowed());
    o.clock.advance(Duration.ofMinutes(5));

    ExposureReport report = o.gov.exposure(ExposureQuery.all());
    assertEquals(usedAt, rowOf(report, used).lastUsedAt());
    assertTrue(rowOf(report, used).usageKnown());
    assertEquals(Set.of(), rowOf(report, used).smells());
    assertNull(rowOf(report, idle).lastUsedAt());
    assertEquals(Set.of(ExposureSmell.NEVER_USED), rowOf(report, idle).smells());
    assertTrue(report.toTable().contains("5m00s ago"), report.toTable());
    assertTrue(report.toTable().contains("never"), report.toTable());

    ExposureReport elsewhere = untracked.gov.exposure(ExposureQuery.all());
    assertNull(elsewhere.usageTrackedSince());
    assertTrue(elsewhere.rows().stream().noneMatch(ExposureRow::usageKnown));
    assertTrue(elsewhere.rows().stream().noneMatch(r -> r.has(ExposureSmell.NEVER_USED)));
    assertTrue(elsewhere.toTable().contains("unknown"), elsewhere.toTable());
  }

  @Test
  void aGrantIssuedBeforeTrackingBeganIsNotFlaggedNeverUsed() {
    Overseen first = new Overseen(b -> {});
    Grant before = first.low("before", Duration.ofHours(1));
    first.clock.advance(Duration.ofMinutes(1));
    Overseen tracking = first.replica(GovernanceBuilder::trackLastUse);
    Grant after = tracking.low("after", Duration.ofHours(1));

    ExposureReport report = tracking.gov.exposure(ExposureQuery.all());
    assertEquals(first.clock.instant(), report.usageTrackedSince());
    assertFalse(rowOf(report, before).usageKnown(), "uses before tracking began are unknown");
    assertEquals(Set.of(), rowOf(report, before).smells());
    assertEquals(Set.of(ExposureSmell.NEVER_USED), rowOf(report, after).smells());

    tracking.gov.access().check(before.id(), "read", "db/orders");
    assertEquals(tracking.clock.instant(),
        rowOf(tracking.gov.exposure(ExposureQuery.all()), before).lastUsedAt());
  }

  @Test
  void aGrantWhoseOwnerIsGoneIsFlaggedAndAFailingDirectoryCountsAsGone() {
    Set<String> gone = ConcurrentHashMap.newKeySet();
    Overseen o = new Overseen(b -> b.ownerDirectory(owner -> !gone.contains(owner)));
    Overseen failing = o.replica(b -> b.ownerDirectory(owner -> {
      throw new IllegalStateException("HR system down");
    }));
    Grant orphan = o.low("INC-1", Duration.ofHours(1));
    Grant owned = o.mint(Overseen.asks(RiskTiers.LOW, "INC-2", Duration.ofHours(1))
        .owner("data").build());
    gone.add("platform");

    ExposureReport report = o.gov.exposure(ExposureQuery.all());
    assertEquals(Set.of(ExposureSmell.OWNER_GONE), rowOf(report, orphan).smells());
    assertEquals(Set.of(), rowOf(report, owned).smells());
    assertTrue(failing.gov.exposure(ExposureQuery.all()).rows().stream()
        .allMatch(r -> r.has(ExposureSmell.OWNER_GONE)), "fail closed: not known to be active");
  }

  @Test
  void delegationDepthWalksTheParentsAndABudgetMakesRenewalsAnEstimate() {
    Overseen o = new Overseen(b -> {});
    Grant root = o.low("INC-1", Duration.ofHours(1));
    JitAccess jit = o.gov.access();
    Grant child = jit.delegate(root.id(), DelegationRequest.builder().subject("agent-1")
        .scope("read:db/orders").ttl(Ttl.of(Duration.ofMinutes(50))).build());
    Grant grandchild = jit.delegate(child.id(), DelegationRequest.builder().subject("agent-2")
        .scope("read:db/orders").ttl(Ttl.of(Duration.ofMinutes(40))).useBudget(5).build());
    jit.check(grandchild.id(), "read", "db/orders");
    jit.check(grandchild.id(), "read", "db/orders");
    o.clock.advance(Duration.ofMinutes(15));
    jit.renew(grandchild.id(), Duration.ofMinutes(30));

    ExposureReport report = o.gov.exposure(ExposureQuery.all());
    assertEquals(0, rowOf(report, root).delegationDepth());
    assertEquals(1, rowOf(report, child).delegationDepth());
    ExposureRow budgeted = rowOf(report, grandchild);
    assertEquals(2, budgeted.delegationDepth());
    assertEquals(1, budgeted.renewals());
    assertFalse(budgeted.renewalsExact());
    assertEquals(root.requestId(), budgeted.requestId(), "a child keeps its root's request");
    assertTrue(report.toTable().contains("~1"), report.toTable());
  }

  @Test
  void theOriginTellsRequestsBreakGlassAndBundlesApart() {
    Overseen o = new Overseen(b -> {});
    Grant requested = o.low("INC-1", Duration.ofHours(1));
    Grant emergency = o.gov.breakGlass(RequestSpec.builder().requester("oncall-olga")
        .owner("platform").task("SEV1-7").purpose("restart payments")
        .scope("admin:prod/payments").lifetime(Duration.ofMinutes(20)).tier(RiskTiers.HIGH)
        .justification("payments down at 3 a.m., nobody reachable to approve").build());
    Instant now = o.clock.instant();
    o.gov.bundles().create(new BundleSpec("holiday", "support", "lead-lee",
        Scope.parse("read:tickets/**"), RiskTiers.MEDIUM, now, now.plus(Duration.ofDays(2))));
    o.gov.bundles().addMembers("holiday", List.of("seasonal-1"), "lead-lee");
    Grant bundled = o.gov.bundles().activate("holiday", "seasonal-1", "shift-1", "support",
        Scope.parse("read:tickets/**"), Duration.ofHours(1));

    ExposureReport report = o.gov.exposure(ExposureQuery.all());
    assertEquals(ExposureRow.Origin.REQUEST, rowOf(report, requested).origin());
    assertEquals(ExposureRow.Origin.BREAK_GLASS, rowOf(report, emergency).origin());
    assertEquals(ExposureRow.Origin.BUNDLE, rowOf(report, bundled).origin());
    assertEquals(1, report.totals().origins().get(ExposureRow.Origin.BUNDLE));
    assertEquals(0, report.totals().origins().get(ExposureRow.Origin.UNKNOWN));
  }

  @Test
  void noGrantIdAppearsInTheRowsTheJsonOrTheTable() {
    Overseen o = new Overseen(GovernanceBuilder::trackLastUse);
    Grant root = o.low("INC-1", Duration.ofHours(1));
    Grant child = o.gov.access().delegate(root.id(), DelegationRequest.builder()
        .subject("agent-1").scope("read:db/orders").ttl(Ttl.of(Duration.ofMinutes(5))).build());
    o.gov.access().check(child.id(), "read", "db/orders");
    ExposureReport report = o.gov.exposure("groupBy=subject");
    String everything = report.rows() + report.toJson() + report.toTable() + report;
    for (Grant g : List.of(root, child)) {
      assertFalse(everything.contains(g.id()), "grant id shown");
      assertTrue(everything.contains(g.reference()), "grant reference missing");
    }
  }

  @Test
  void aGrantStoreThatFailsFailsTheReportRatherThanHideLiveAccess() {
    Overseen o = new Overseen(b -> {});
    o.low("INC-1", Duration.ofHours(1));
    AtomicBoolean down = new AtomicBoolean();
    IllegalStateException outage = new IllegalStateException("database down");
    GrantStore flaky = (GrantStore) Proxy.newProxyInstance(GrantStore.class.getClassLoader(),
        new Class<?>[] {GrantStore.class}, (proxy, method, args) -> {
          if (down.get() && method.getName().equals("findActiveByExpiry")) {
            throw outage;
          }
          try {
            return method.invoke(o.grants, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
    Overseen replica = o.replica(flaky, b -> {});
    assertEquals(1, replica.gov.exposure(ExposureQuery.all()).rows().size());
    down.set(true);
    assertSame(outage, assertThrows(IllegalStateException.class,
        () -> replica.gov.exposure(ExposureQuery.all())));
  }

  @Test
  void smellsAreReportedInDeclarationOrder() {
    AtomicBoolean ownerLeft = new AtomicBoolean();
    Overseen o = new Overseen(b -> b.trackLastUse().ownerDirectory(owner -> !ownerLeft.get())
        .exposureThresholds(new ExposureThresholds(0, 1)));
    Grant grant = o.low("INC-1", Duration.ofHours(8));
    ownerLeft.set(true);
    o.clock.advance(Duration.ofHours(7));
    o.gov.access().renew(grant.id(), Duration.ofHours(8));
    o.clock.advance(Duration.ofHours(2));
    ExposureRow row = only(o.gov.exposure(ExposureQuery.all()));
    assertEquals(List.copyOf(EnumSet.allOf(ExposureSmell.class)), List.copyOf(row.smells()));
  }
}
