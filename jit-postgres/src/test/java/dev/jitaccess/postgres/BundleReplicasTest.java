package dev.jitaccess.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.Scope;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.BundleSpec;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.ExposureReport;
import dev.jitaccess.governance.ExposureRow;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.GovernanceException;
import dev.jitaccess.governance.InMemoryDirectory;
import dev.jitaccess.governance.LapseAction;
import dev.jitaccess.governance.RiskTier;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of an application, each a governance on a runtime of its own, with bundle and
 * recertification stores of their own (their own pools) on one database: a bundle made on one is
 * joined, used and left on the other, and a recertification is noticed and lapses once. Their
 * schedulers never fire, so only the sweeps the tests call act.
 */
class BundleReplicasTest {
  private static final Scheduler NEVER = (task, delay) -> () -> { };
  private static final String BUNDLE = "holiday-2026";

  private final String schema = TestDatabase.freshSchema();
  private final FakeClock clock = new FakeClock();
  private final Replica a;
  private final Replica b;

  BundleReplicasTest() {
    PostgresGovernanceSchema.apply(TestDatabase.dataSource(), schema);
    a = new Replica();
    b = new Replica();
  }

  /** One replica: its own pool, stores, runtime and audit trail. */
  private final class Replica {
    final List<AuditEvent> audit = Collections.synchronizedList(new ArrayList<>());
    final Governance governance;

    Replica() {
      TestPool pool = new TestPool(TestDatabase.unpooled(), true);
      // LOW, recertified daily; a lapse suspends the bundle until its owner recertifies it.
      RiskTiers tiers = RiskTiers.of(RiskTier.builder(RiskTiers.LOW).rank(0).approvals(0)
          .recertifyEvery(Duration.ofDays(1)).onLapse(LapseAction.SUSPEND).build());
      governance = Governance.builder().runtime(JitAccess.builder())
          .grants(PostgresGrantStore.builder().dataSource(pool).schema(schema).clock(clock)
              .consistency(Consistency.STRICT).build())
          .store(PostgresGovernanceStore.builder().dataSource(pool).schema(schema).build())
          .bundleStore(PostgresBundleStore.builder().dataSource(pool).schema(schema).build())
          .recertificationStore(PostgresRecertificationStore.builder().dataSource(pool)
              .schema(schema).build())
          .clock(clock).scheduler(NEVER).tiers(tiers).rules(EligibilityRules.of())
          .directory(InMemoryDirectory.builder().member("lead-lee", "support-leads").build())
          .recertificationNotice(Duration.ofHours(6)).auditSink(audit::add).build();
    }

    long audited(AuditEventType type) {
      synchronized (audit) {
        return audit.stream().filter(e -> e.type() == type).count();
      }
    }

    Grant activate(String member) {
      return governance.bundles().activate(BUNDLE, member, "shift-" + member, "holiday support",
          Scope.parse("read:tickets/**"), Duration.ofHours(4));
    }
  }

  @AfterEach
  void closeTheReplicas() {
    a.governance.close();
    b.governance.close();
  }

  private void createTheBundle() {
    Instant now = clock.instant();
    a.governance.bundles().create(new BundleSpec(BUNDLE, "support-leads", "lead-lee",
        Scope.parse("read:tickets/**"), RiskTiers.LOW, now, now.plus(Duration.ofDays(20))));
  }

  private static List<String> workers(int n) {
    List<String> workers = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      workers.add("seasonal-" + i);
    }
    return workers;
  }

  /** Both replicas sweep at once; returns how many things each acted on. */
  private List<Integer> sweepBoth() throws Exception {
    CyclicBarrier start = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Integer>> sweeps = new ArrayList<>();
      for (Replica r : List.of(a, b)) {
        sweeps.add(pool.submit(() -> {
          start.await();
          return r.governance.sweep();
        }));
      }
      List<Integer> acted = new ArrayList<>();
      for (Future<Integer> sweep : sweeps) {
        acted.add(sweep.get(60, TimeUnit.SECONDS));
      }
      return acted;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aBundleMadeOnOneReplicaIsJoinedOnTheOtherAndARemovalThereEndsTheGrantMintedHere() {
    createTheBundle();
    assertEquals(1000, b.governance.bundles().addMembers(BUNDLE, workers(1000), "lead-lee"));
    assertEquals(1000, a.governance.bundles().memberCount(BUNDLE), "a sees b's members");
    Grant grant = a.activate("seasonal-7");
    assertTrue(b.governance.access().check(grant.id(), "read", "tickets/42").isAllowed(),
        "b allows the grant a minted from the bundle");
    assertEquals(List.of("seasonal-7"),
        b.governance.bundles().removeMembers(BUNDLE, List.of("seasonal-7"), "lead-lee"));
    assertFalse(a.governance.access().check(grant.id(), "read", "tickets/42").isAllowed(),
        "b's removal ended a's grant");
    GovernanceException gone = assertThrows(GovernanceException.class,
        () -> a.activate("seasonal-7"));
    assertEquals(GovernanceException.Rule.NOT_MEMBER, gone.rule());
    Grant other = b.activate("seasonal-8");
    a.governance.bundles().end(BUNDLE, "lead-lee", true);
    assertFalse(b.governance.access().check(other.id(), "read", "tickets/1").isAllowed(),
        "a's end of the bundle ended b's grant");
  }

  @Test
  void ofReplicasSweepingTogetherABundlesRecertificationIsNoticedOnceAndLapsesOnce()
      throws Exception {
    createTheBundle();
    b.governance.bundles().addMembers(BUNDLE, List.of("seasonal-1"), "lead-lee");
    clock.advance(Duration.ofHours(20));
    sweepBoth();
    assertEquals(1, a.audited(AuditEventType.RECERTIFICATION_DUE)
        + b.audited(AuditEventType.RECERTIFICATION_DUE), "the owner is told once");
    sweepBoth();
    assertEquals(1, a.audited(AuditEventType.RECERTIFICATION_DUE)
        + b.audited(AuditEventType.RECERTIFICATION_DUE), "and not again");
    clock.advance(Duration.ofHours(4).plusNanos(1));
    sweepBoth();
    sweepBoth();
    assertEquals(1, a.audited(AuditEventType.RECERTIFICATION_LAPSED)
        + b.audited(AuditEventType.RECERTIFICATION_LAPSED), "the lapse is acted on once");
    for (Replica r : List.of(a, b)) {
      GovernanceException suspended = assertThrows(GovernanceException.class,
          () -> r.activate("seasonal-1"));
      assertEquals(GovernanceException.Rule.SUSPENDED, suspended.rule());
    }
    b.governance.recertify("bundle:" + BUNDLE, "lead-lee", true, "the season goes on");
    assertTrue(a.activate("seasonal-1").isActive(), "b's recertification lifts a's suspension");
  }

  @Test
  void theExposureReportOnEitherReplicaShowsTheGrantsMintedOnBothAndNoneAfterTheBundleEnds() {
    createTheBundle();
    a.governance.bundles().addMembers(BUNDLE, workers(10), "lead-lee");
    Grant fromA = a.activate("seasonal-1");
    Grant fromB = b.activate("seasonal-2");
    for (Replica r : List.of(a, b)) {
      ExposureReport report = r.governance.exposure("groupBy=owner");
      assertEquals(2, report.totals().live(), report.toTable());
      assertEquals(2, report.rowsOf("support-leads").size(), report.toTable());
      assertEquals(2, report.totals().origins().get(ExposureRow.Origin.BUNDLE));
      String table = report.toTable() + report.toJson();
      assertTrue(table.contains(fromA.reference()) && table.contains(fromB.reference()), table);
      assertFalse(table.contains(fromA.id()) || table.contains(fromB.id()),
          "the report never shows a grant id");
    }
    b.governance.bundles().end(BUNDLE, "lead-lee", false);
    assertEquals(0, a.governance.exposure("groupBy=owner").totals().live());
  }
}
