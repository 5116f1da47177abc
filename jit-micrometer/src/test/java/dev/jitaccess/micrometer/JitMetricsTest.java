package dev.jitaccess.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import dev.jitaccess.testkit.time.FakeClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every meter, with its tags and counts, after real grants are minted, checked, revoked, expired. */
class JitMetricsTest {
  private final FakeClock clock = new FakeClock();
  private final InMemoryGrantStore store =
      InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
  private final MeterRegistry registry = Fixtures.registry(clock);
  private final List<AuditEvent> trail = Collections.synchronizedList(new ArrayList<>());
  private final JitMetrics metrics = JitMetrics.builder().registry(registry).grants(store)
      .clock(clock).refreshInterval(Duration.ofSeconds(10)).tiers("LOW", "HIGH").build();
  private final JitAccess jit = metrics.timed(JitAccess.builder().clock(clock).scheduler(clock)
      .store(store).auditSink(metrics.auditSink(trail::add)).build());

  @AfterEach
  void close() {
    jit.close();
  }

  @Test
  void everyMeterCountsWhatTheRuntimeDidWithBoundedTags() {
    metrics.bindTo(registry);
    Grant low = jit.request(Fixtures.request("t-low", "LOW", Duration.ofMinutes(5)));
    Grant high = jit.request(Fixtures.request("t-high", "HIGH", Duration.ofHours(1)));
    Grant plain = jit.request(Fixtures.request("t-plain", null, Duration.ofHours(1)));
    Grant odd = jit.request(Fixtures.request("t-odd", "EXOTIC", Duration.ofHours(1)));

    assertEquals(1, live("LOW"));
    assertEquals(1, live("HIGH"));
    assertEquals(1, live("none"));
    assertEquals(1, live("other"));

    assertTrue(jit.check(high.id(), "read", "reports/2026-11.csv").isAllowed());
    assertTrue(jit.check(plain.id(), "read", "reports/2026-12.csv").isAllowed());
    assertTrue(jit.check(high.id(), "write", "reports/2026-11.csv").isDenied());
    assertTrue(jit.check("not-a-grant-id", "read", "reports/x").isDenied());
    assertTrue(jit.revoke(odd.id(), RevocationReason.MANUAL));
    clock.advance(Duration.ofMinutes(6)); // low expires; its timer runs on the fake clock
    assertTrue(jit.check(low.id(), "read", "reports/x").isDenied());
    assertEquals(0, live("LOW"), "expired");
    assertEquals(0, live("other"), "revoked");
    assertEquals(1, live("none"));
    assertTrue(jit.revokeTask("t-plain", RevocationReason.TASK_COMPLETED) >= 1);
    Grant child = jit.delegate(high.id(), dev.jitaccess.Scope.parse("read:reports/2026-11.csv"),
        Duration.ofMinutes(1), "svc-helper");
    // Within the refresh interval the gauges show the last read; after it, the store as it is.
    assertEquals(1, live("none"), "the last read, within the interval");
    clock.advance(Duration.ofSeconds(10));
    boolean childHasTier = "HIGH".equals(child.tier());
    assertEquals(childHasTier ? 2 : 1, live("HIGH"));
    assertEquals(childHasTier ? 0 : 1, live("none"));

    assertEquals(4, audit("ISSUED", "none"));
    assertEquals(1, audit("DELEGATED", "none"));
    assertEquals(1, audit("DENIED", "OUT_OF_SCOPE"));
    assertEquals(1, audit("DENIED", "UNKNOWN_GRANT"));
    assertEquals(1, audit("DENIED", "EXPIRED"));
    assertEquals(1, audit("REVOKED", "MANUAL"));
    assertEquals(1, audit("REVOKED", "TASK_COMPLETED"));
    assertEquals(1, audit("EXPIRED", "EXPIRED"));
    assertEquals(trail.size(), sumOfAuditCounters(), "every event counted once, and handed on");

    assertEquals(2, timerCount(JitMetrics.CHECK, "outcome", "allowed"));
    assertEquals(3, timerCount(JitMetrics.CHECK, "outcome", "denied"));
    assertEquals(4, timerCount(JitMetrics.MINT, "kind", "request", "outcome", "issued"));
    assertEquals(1, timerCount(JitMetrics.MINT, "kind", "delegate", "outcome", "issued"));
    assertEquals(1, timerCount(JitMetrics.REVOKE, "target", "grant"));
    assertEquals(1, timerCount(JitMetrics.REVOKE, "target", "task"));
    assertEquals(0, timerCount(JitMetrics.REVOKE, "target", "subject"));

    assertNoTagNames(List.of(low, high, plain, odd, child));
  }

  @Test
  void aRefusedMintIsTimedAsRefused() {
    JitAccess refusing = metrics.timed(JitAccess.builder().clock(clock).scheduler(clock)
        .policy(new AccessPolicy() {
          @Override
          public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
            return PolicyDecision.deny("NOT_ON_CALL", "the requester is not on call");
          }

          @Override
          public PolicyDecision onRenewal(Grant grant, Duration extension) {
            return PolicyDecision.deny("NOT_ON_CALL", "the requester is not on call");
          }
        }).build());
    assertThrows(GrantDeniedException.class,
        () -> refusing.request(Fixtures.request("t", null, Duration.ofMinutes(1))));
    assertThrows(IllegalArgumentException.class,
        () -> jit.request(Fixtures.request("t", null, Duration.ofDays(400))));
    refusing.close();
    assertEquals(2, timerCount(JitMetrics.MINT, "kind", "request", "outcome", "refused"));
    assertEquals(0, timerCount(JitMetrics.MINT, "kind", "request", "outcome", "issued"));
  }

  @Test
  void theLiveGrantScanReadsTheStoreOncePerIntervalAndAtMostMaxScanGrants() {
    CountingStore counting = new CountingStore(store);
    JitMetrics bounded = JitMetrics.builder().registry(registry).grants(counting).clock(clock)
        .refreshInterval(Duration.ofMinutes(1)).maxScan(3).build();
    bounded.bindTo(registry);
    for (int i = 0; i < 5; i++) {
      jit.request(Fixtures.request("t-" + i, "LOW", Duration.ofHours(1)));
    }
    for (int scrape = 0; scrape < 10; scrape++) {
      assertEquals(3, live("LOW"), "the first maxScan grants only");
      registry.getMeters().forEach(m -> m.measure().forEach(ms -> ms.getValue()));
    }
    int reads = counting.pages();
    assertTrue(reads <= 2, "one scan (a page and a look past the bound), was " + reads);
    clock.advance(Duration.ofMinutes(1));
    live("LOW");
    assertTrue(counting.pages() > reads, "read again once the interval passed");
  }

  @Test
  void aFailingStoreShowsNaNNotAStaleCount() {
    CountingStore failing = new CountingStore(store);
    JitMetrics m = JitMetrics.builder().registry(registry).grants(failing).clock(clock).build();
    m.bindTo(registry);
    jit.request(Fixtures.request("t", "LOW", Duration.ofHours(1)));
    assertEquals(1, live("LOW"));
    failing.fail = true;
    clock.advance(JitMetrics.Builder.DEFAULT_REFRESH);
    assertTrue(Double.isNaN(registry.get(JitMetrics.LIVE_GRANTS).tag("tier", "LOW").gauge()
        .value()));
  }

  @Test
  void theBuilderNamesTheFieldAndTheRule() {
    assertEquals("registry must be set", assertThrows(IllegalStateException.class,
        () -> JitMetrics.builder().build()).getMessage());
    assertEquals("refreshInterval must be > 0, was PT0S", assertThrows(
        IllegalArgumentException.class,
        () -> JitMetrics.builder().refreshInterval(Duration.ZERO)).getMessage());
    assertEquals("maxScan must be in [1, 10000000], was 0", assertThrows(
        IllegalArgumentException.class, () -> JitMetrics.builder().maxScan(0)).getMessage());
    assertEquals("registry was already set", assertThrows(IllegalStateException.class,
        () -> JitMetrics.builder().registry(registry).registry(registry)).getMessage());
    assertThrows(IllegalArgumentException.class, () -> JitMetrics.builder().tiers("LOW", "none"));
    assertThrows(IllegalArgumentException.class,
        () -> JitMetrics.builder().lingeringAfter(Duration.ofSeconds(-1)));
  }

  @Test
  void theDefaultTiersAreGovernancesDefaultTiers() {
    Set<String> names = new HashSet<>();
    dev.jitaccess.governance.RiskTiers.ofDefaults().all().forEach(t -> names.add(t.name()));
    assertEquals(names, Set.copyOf(JitMetrics.Builder.DEFAULT_TIERS));
  }

  @Test
  void everyMeterIsDescribedAndUnderJit() {
    metrics.bindTo(registry);
    jit.request(Fixtures.request("t", null, Duration.ofHours(1)));
    Set<String> names = new java.util.TreeSet<>();
    registry.getMeters().forEach(m -> names.add(m.getId().getName()));
    assertTrue(names.containsAll(Set.of(JitMetrics.LIVE_GRANTS, "jit.mint", "jit.audit.events")),
        "bound and recorded meters: " + names);
    for (Meter meter : registry.getMeters()) {
      assertTrue(meter.getId().getName().startsWith("jit."), meter.getId().getName());
      assertNotNull(meter.getId().getDescription(), meter.getId().getName());
    }
  }

  private double live(String tier) {
    return registry.get(JitMetrics.LIVE_GRANTS).tag("tier", tier).gauge().value();
  }

  private double audit(String type, String reason) {
    return registry.get(JitMetrics.AUDIT_EVENTS).tag("type", type).tag("reason", reason)
        .counter().count();
  }

  private double sumOfAuditCounters() {
    return registry.get(JitMetrics.AUDIT_EVENTS).counters().stream()
        .mapToDouble(c -> c.count()).sum();
  }

  private long timerCount(String name, String... tags) {
    return registry.get(name).tags(tags).timer().count();
  }

  /** No tag of any meter names a grant: not its id, reference, subject, owner or task. */
  private void assertNoTagNames(List<Grant> grants) {
    Set<String> secrets = new HashSet<>();
    for (Grant g : grants) {
      secrets.addAll(List.of(g.id(), g.reference(), g.subject(), g.owner(), g.task()));
    }
    for (Meter meter : registry.getMeters()) {
      for (Tag tag : meter.getId().getTags()) {
        assertFalse(secrets.contains(tag.getValue()), meter.getId().toString());
      }
    }
  }
}
