package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.micrometer.JitMetrics;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Micrometer meters, configured when jit-micrometer and a registry are present. */
class JitMetricsAutoConfigurationTest {
  private static final AutoConfigurations JIT = AutoConfigurations.of(
      JitPostgresAutoConfiguration.class, JitCelPolicyAutoConfiguration.class,
      JitMetricsAutoConfiguration.class, JitTeardownAutoConfiguration.class,
      JitGovernanceAutoConfiguration.class, JitAccessAutoConfiguration.class);
  private static final AutoConfigurations ACTUATOR_METRICS = AutoConfigurations.of(
      MetricsAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
      CompositeMeterRegistryAutoConfiguration.class);

  /** The runtime alone, with Actuator's registry and an application audit sink. */
  private final ApplicationContextRunner plain = new ApplicationContextRunner()
      .withConfiguration(ACTUATOR_METRICS).withConfiguration(JIT)
      .withClassLoader(new FilteredClassLoader(Governance.class, Teardown.class))
      .withBean(FakeClock.class, FakeClock::new)
      .withBean(Events.class, Events::new);

  @Test
  void metersAppearWithTheirNamesAfterARealMintCheckAndRevoke() {
    plain.run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      JitAccess jit = context.getBean(JitAccess.class);
      FakeClock clock = context.getBean(FakeClock.class);
      Grant grant = jit.request(Fixtures.request("t-1", Duration.ofMinutes(5)));
      assertThat(jit.check(grant.id(), "read", "orders/1").isAllowed()).isTrue();
      assertThat(jit.check(grant.id(), "write", "orders/1").isAllowed()).isFalse();
      assertThat(gauge(registry, JitMetrics.LIVE_GRANTS, "tier", "none")).isEqualTo(1.0);

      assertThat(jit.revoke(grant.id(), RevocationReason.MANUAL)).isTrue();
      assertThat(timer(registry, JitMetrics.CHECK, "outcome", "allowed").count()).isEqualTo(1);
      assertThat(timer(registry, JitMetrics.CHECK, "outcome", "denied").count()).isEqualTo(1);
      assertThat(registry.get(JitMetrics.MINT).tag("kind", "request").tag("outcome", "issued")
          .timer().count()).isEqualTo(1);
      assertThat(timer(registry, JitMetrics.REVOKE, "target", "grant").count()).isEqualTo(1);
      assertThat(events(registry, AuditEventType.ISSUED)).isEqualTo(1);
      assertThat(events(registry, AuditEventType.DENIED)).isEqualTo(1);
      assertThat(registry.get(JitMetrics.AUDIT_EVENTS).tag("type", "REVOKED")
          .tag("reason", "MANUAL").counter().count()).isEqualTo(1);

      assertThat(gauge(registry, JitMetrics.LIVE_GRANTS, "tier", "none"))
          .as("the last read is kept for the refresh interval").isEqualTo(1.0);
      clock.advance(Duration.ofSeconds(31));
      assertThat(gauge(registry, JitMetrics.LIVE_GRANTS, "tier", "none")).isEqualTo(0.0);
    });
  }

  @Test
  void everyAuditEventReachesTheApplicationsSinkAndIsCountedOnce() {
    plain.run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      JitAccess jit = context.getBean(JitAccess.class);
      for (int i = 0; i < 3; i++) {
        Grant grant = jit.request(Fixtures.request("t-" + i, Duration.ofMinutes(5)));
        jit.check(grant.id(), "delete", "orders/1");
        jit.revokeTask("t-" + i, RevocationReason.TASK_COMPLETED);
      }
      List<AuditEvent> seen = context.getBean(Events.class).events;
      assertThat(seen).hasSize(9);
      double counted = registry.find(JitMetrics.AUDIT_EVENTS).counters().stream()
          .mapToDouble(Counter::count).sum();
      assertThat(counted).isEqualTo(seen.size());
    });
  }

  @Test
  void propertiesBind() {
    plain.withPropertyValues("jit.metrics.refresh-interval=5s", "jit.metrics.max-reasons=1")
        .run(context -> {
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          JitAccess jit = context.getBean(JitAccess.class);
          FakeClock clock = context.getBean(FakeClock.class);
          Grant grant = jit.request(Fixtures.request("t-1", Duration.ofMinutes(5)));
          assertThat(gauge(registry, JitMetrics.LIVE_GRANTS, "tier", "none")).isEqualTo(1.0);
          jit.revoke(grant.id(), RevocationReason.MANUAL);
          clock.advance(Duration.ofSeconds(6));
          assertThat(gauge(registry, JitMetrics.LIVE_GRANTS, "tier", "none")).isEqualTo(0.0);

          jit.check(grant.id(), "read", "orders/1");    // a second reason code: OTHER
          assertThat(registry.find(JitMetrics.AUDIT_EVENTS).tag("reason", "OTHER").counter())
              .isNotNull();
        });
  }

  @Test
  void withoutARegistryTheApplicationGetsThePlainRuntime() {
    new ApplicationContextRunner().withConfiguration(JIT)
        .withClassLoader(new FilteredClassLoader(Governance.class, Teardown.class))
        .run(context -> {
          assertThat(context).hasSingleBean(JitAccess.class)
              .doesNotHaveBean(JitMetricsAutoConfiguration.JitGauges.class)
              .doesNotHaveBean(RuntimeInstrumentation.class);
          assertThat(context.getBean(JitAccess.class).getClass().getSimpleName())
              .isEqualTo("DefaultJitAccess");
          assertThat(context.getBean(JitAuditTrail.class).sink()).isNull();
        });
  }

  @Test
  void withoutJitMicrometerTheApplicationGetsThePlainRuntimeDespiteARegistry() {
    plain.withClassLoader(new FilteredClassLoader(Governance.class, Teardown.class,
        JitMetrics.class)).run(context -> {
          assertThat(context).hasSingleBean(MeterRegistry.class)
              .doesNotHaveBean(RuntimeInstrumentation.class);
          assertThat(context.getBean(JitAccess.class).getClass().getSimpleName())
              .isEqualTo("DefaultJitAccess");
          assertThat(context.getBean(MeterRegistry.class).find(JitMetrics.LIVE_GRANTS).gauge())
              .isNull();
        });
  }

  @Test
  void aRegistryOfTheApplicationsOwnIsEnoughAndCanBeTurnedOff() {
    ApplicationContextRunner own = new ApplicationContextRunner().withConfiguration(JIT)
        .withClassLoader(new FilteredClassLoader(Governance.class, Teardown.class))
        .withBean(MeterRegistry.class, SimpleMeterRegistry::new);
    own.run(context -> {
      JitAccess jit = context.getBean(JitAccess.class);
      assertThat(jit.getClass().getSimpleName()).isEqualTo("TimedJitAccess");
      jit.request(Fixtures.request("t-1", Duration.ofMinutes(5)));
      assertThat(events(context.getBean(MeterRegistry.class), AuditEventType.ISSUED))
          .isEqualTo(1);
    });
    own.withPropertyValues("jit.metrics.enabled=false").run(context -> {
      assertThat(context.getBean(JitAccess.class).getClass().getSimpleName())
          .isEqualTo("DefaultJitAccess");
      assertThat(context.getBean(MeterRegistry.class).getMeters()).isEmpty();
    });
  }

  @Test
  void theApplicationsOwnRuntimeIsNotWrappedAndItsOwnMetricsReplaceTheGauges() {
    JitAccess mine = JitAccess.builder().build();
    plain.withBean("myJit", JitAccess.class, () -> mine).run(context ->
        assertThat(context.getBean(JitAccess.class)).isSameAs(mine));
    plain.withBean("myMetrics", JitMetrics.class,
        () -> JitMetrics.builder().registry(new SimpleMeterRegistry()).build()).run(context -> {
          assertThat(context).doesNotHaveBean(JitMetricsAutoConfiguration.JitGauges.class);
          assertThat(context.getBean(MeterRegistry.class).find(JitMetrics.LIVE_GRANTS).gauge())
              .isNull();
        });
  }

  @Test
  void governanceAndTeardownAddTheirGaugesAndTheirEventsAreCountedOnce() {
    new ApplicationContextRunner().withConfiguration(ACTUATOR_METRICS).withConfiguration(JIT)
        .withBean(FakeClock.class, FakeClock::new)
        .withBean(Events.class, Events::new)
        .withBean(EligibilityRules.class, Fixtures::rules)
        .withBean("db", Downstream.class, () -> new Acknowledging("db"))
        .run(context -> {
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          Governance governance = context.getBean(Governance.class);
          JitAccess jit = context.getBean(JitAccess.class);
          assertThat(jit).isNotSameAs(governance.access());
          Grant grant = Fixtures.activate(governance, "t-1");
          assertThat(jit.check(grant.id(), "read", "orders/1").isAllowed()).isTrue();
          assertThat(timer(registry, JitMetrics.CHECK, "outcome", "allowed").count())
              .isEqualTo(1);
          assertThat(gauge(registry, JitMetrics.LIVE_GRANTS, "tier", "LOW")).isEqualTo(1.0);
          assertThat(gauge(registry, JitMetrics.PENDING_REQUESTS, null, null)).isEqualTo(0.0);
          assertThat(gauge(registry, JitMetrics.LINGERING_TEARDOWNS, "state", "PENDING"))
              .isEqualTo(0.0);

          jit.revoke(grant.id(), RevocationReason.ANOMALY);
          List<AuditEvent> seen = context.getBean(Events.class).events;
          assertThat(seen).extracting(AuditEvent::type).contains(AuditEventType.ISSUED,
              AuditEventType.REVOKED);
          double counted = registry.find(JitMetrics.AUDIT_EVENTS).counters().stream()
              .mapToDouble(Counter::count).sum();
          assertThat(counted).isEqualTo(seen.size());
        });
  }

  private static double gauge(MeterRegistry registry, String name, String tag, String value) {
    var search = registry.get(name);
    if (tag != null) {
      search = search.tag(tag, value);
    }
    Gauge gauge = search.gauge();
    return gauge.value();
  }

  private static Timer timer(MeterRegistry registry, String name, String tag, String value) {
    return registry.get(name).tag(tag, value).timer();
  }

  private static double events(MeterRegistry registry, AuditEventType type) {
    return registry.find(JitMetrics.AUDIT_EVENTS).tag("type", type.name()).counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  /** An application audit sink that keeps what it is given. */
  static final class Events implements AuditSink {
    final List<AuditEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void record(AuditEvent event) {
      events.add(event);
    }
  }

  /** A downstream that acknowledges every revocation. */
  record Acknowledging(String name) implements Downstream {
    @Override
    public TeardownResult revoke(Grant grant, RevocationReason reason) {
      return TeardownResult.done(grant.reference());
    }
  }
}
