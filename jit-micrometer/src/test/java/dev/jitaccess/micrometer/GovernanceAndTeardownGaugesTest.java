package dev.jitaccess.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.AccessRequest;
import dev.jitaccess.governance.EligibilityRule;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.InMemoryDirectory;
import dev.jitaccess.governance.InMemoryGovernanceStore;
import dev.jitaccess.governance.RequestSpec;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The pending-requests gauge follows a real governance, the lingering gauge a real teardown ledger
 * whose downstream fails, with the sink made before both and the gauges bound after.
 */
class GovernanceAndTeardownGaugesTest {
  private final FakeClock clock = new FakeClock();
  private final InMemoryGrantStore grants =
      InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
  private final MeterRegistry registry = Fixtures.registry(clock);
  private final AtomicInteger attempts = new AtomicInteger();

  /** A database whose role removal always fails: its entries stay unsettled. */
  private final Downstream failingDatabase = new Downstream() {
    @Override
    public String name() {
      return "orders-db";
    }

    @Override
    public TeardownResult revoke(Grant grant, RevocationReason reason) {
      attempts.incrementAndGet();
      throw new IllegalStateException("connection refused");
    }
  };

  @Test
  void pendingRequestsAndLingeringTeardownsMoveWithTheRealComponents() {
    AuditSink sink = JitMetrics.builder().registry(registry).build()
        .auditSink(event -> { });
    Teardown teardown = Teardown.builder().clock(clock).scheduler(clock).grants(grants)
        .auditSink(sink).downstream(failingDatabase).build();
    Governance governance = Governance.builder()
        .runtime(JitAccess.builder().listener(teardown.listener()))
        .grants(grants).clock(clock).scheduler(clock).auditSink(sink)
        .store(new InMemoryGovernanceStore())
        .directory(InMemoryDirectory.builder().member("vendor-bob", "vendors")
            .member("dba-ann", "dba").build())
        .rules(EligibilityRules.of(EligibilityRule.builder("vendor-db")
            .requesters("group:vendors").scope("read:db/**").tiers(RiskTiers.LOW, RiskTiers.MEDIUM)
            .approvers("group:dba").build()))
        .build();
    JitMetrics metrics = JitMetrics.builder().registry(registry).grants(grants)
        .governance(governance).teardown(teardown).clock(clock)
        .refreshInterval(Duration.ofSeconds(5)).lingeringAfter(Duration.ofMinutes(10)).build();
    metrics.bindTo(registry);
    JitAccess jit = metrics.timed(governance.access());
    try {
      assertEquals(0, pending());
      AccessRequest first = governance.request(ask("INC-1", RiskTiers.MEDIUM));
      AccessRequest second = governance.request(ask("INC-2", RiskTiers.MEDIUM));
      clock.advance(Duration.ofSeconds(5));
      assertEquals(2, pending());
      governance.approve(first.id(), "dba-ann");
      governance.cancel(second.id(), "vendor-bob");
      clock.advance(Duration.ofSeconds(5));
      assertEquals(0, pending());
      assertEquals(2, audit("REQUESTED", "none"));
      assertEquals(1, audit("CANCELLED", "none") + audit("CANCELLED", "OTHER"));

      Grant grant = governance.activate(first.id(), "vendor-bob");
      clock.advance(Duration.ofSeconds(5));
      assertEquals(1, live(RiskTiers.MEDIUM));
      jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
      clock.advance(Duration.ofMinutes(1));
      assertEquals(0, lingeringTotal(), "ended a minute ago: not lingering yet");
      clock.advance(Duration.ofMinutes(10));
      assertEquals(1, lingeringTotal(), "the failing database still holds the grant's access");
      assertEquals(1, timerCount(JitMetrics.REVOKE, "target", "grant"));
    } finally {
      governance.close();
      teardown.close();
    }
  }

  private static RequestSpec ask(String task, String tier) {
    return RequestSpec.builder().requester("vendor-bob").owner("platform").task(task)
        .purpose("read the orders table").scope("read:db/orders")
        .lifetime(Duration.ofMinutes(30)).tier(tier)
        .justification("investigating order sync failure for ticket " + task).build();
  }

  private double pending() {
    return registry.get(JitMetrics.PENDING_REQUESTS).gauge().value();
  }

  private double live(String tier) {
    return registry.get(JitMetrics.LIVE_GRANTS).tag("tier", tier).gauge().value();
  }

  private double lingeringTotal() {
    double total = 0;
    for (String state : LingeringTeardowns.STATES) {
      total += registry.get(JitMetrics.LINGERING_TEARDOWNS).tag("state", state).gauge().value();
    }
    return total;
  }

  private double audit(String type, String reason) {
    var found = registry.find(JitMetrics.AUDIT_EVENTS).tag("type", type).tag("reason", reason)
        .counter();
    return found == null ? 0 : found.count();
  }

  private long timerCount(String name, String... tags) {
    return registry.get(name).tags(tags).timer().count();
  }
}
