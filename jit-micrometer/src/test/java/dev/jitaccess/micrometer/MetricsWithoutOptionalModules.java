package dev.jitaccess.micrometer;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.testkit.time.FakeClock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.TreeSet;

/**
 * A program run by {@link WithoutOptionalModulesTest} in a JVM whose class path holds neither
 * jit-governance nor jit-teardown: it binds the metrics, mints, checks and revokes, and prints
 * what it found.
 */
final class MetricsWithoutOptionalModules {
  private MetricsWithoutOptionalModules() {}

  public static void main(String[] args) {
    for (String absent : new String[] {"dev.jitaccess.governance.Governance",
        "dev.jitaccess.teardown.Teardown"}) {
      try {
        Class.forName(absent);
        throw new IllegalStateException(absent + " is on the class path");
      } catch (ClassNotFoundException expected) {
        System.out.println("absent " + absent);
      }
    }
    FakeClock clock = new FakeClock();
    InMemoryGrantStore store = InMemoryGrantStore.create();
    MeterRegistry registry = Fixtures.registry(clock);
    JitMetrics metrics = JitMetrics.builder().registry(registry).grants(store).clock(clock)
        .build();
    metrics.bindTo(registry);
    JitAccess jit = metrics.timed(JitAccess.builder().clock(clock).scheduler(clock).store(store)
        .auditSink(metrics.auditSink(event -> { })).build());
    Grant grant = jit.request(Fixtures.request("t-1", null, Duration.ofHours(1)));
    if (!jit.check(grant.id(), "read", "reports/2026-11").isAllowed()) {
      throw new IllegalStateException("the check was denied");
    }
    jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    TreeSet<String> names = new TreeSet<>();
    for (Meter meter : registry.getMeters()) {
      names.add(meter.getId().getName());
    }
    System.out.println("meters " + names);
    System.out.println("checks " + registry.get(JitMetrics.CHECK).tag("outcome", "allowed").timer().count());
    jit.close();
  }
}
