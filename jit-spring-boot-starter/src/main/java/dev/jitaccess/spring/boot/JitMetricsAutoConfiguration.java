package dev.jitaccess.spring.boot;

import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.Slf4jAuditSink;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.RiskTier;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.micrometer.JitMetrics;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spring.boot.properties.JitProperties;
import dev.jitaccess.spring.boot.properties.MetricsProperties;
import dev.jitaccess.teardown.Teardown;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures Micrometer meters (jit-micrometer) when a {@link MeterRegistry} bean exists
 * (Spring Boot Actuator's metrics auto-configuration provides one): a counting audit sink in front
 * of the application's {@link AuditSink} beans, which the runtime, governance, teardown and web
 * enforcer all receive, so each audit event is counted once; the timed decorator on the {@link
 * JitAccess} bean the starter builds; and the gauges of live grants, pending requests (with
 * governance) and lingering teardowns (with teardown), bound to the registry.
 *
 * <p>Ordered before the runtime, governance and teardown configurations, since they take the
 * sink; the gauges are made after them, from the beans they made. Without a registry none of this
 * exists and the application calls the plain runtime. {@code jit.metrics.enabled=false} turns it
 * off; an application's own {@link JitMetrics} bean replaces the gauges.
 */
@AutoConfiguration(
    before = {JitTeardownAutoConfiguration.class, JitGovernanceAutoConfiguration.class,
        JitAccessAutoConfiguration.class},
    afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple"
            + ".SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure"
            + ".CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "jit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "jit.metrics.enabled", matchIfMissing = true)
@ConditionalOnClass({JitMetrics.class, MeterRegistry.class})
@ConditionalOnBean(MeterRegistry.class)
@EnableConfigurationProperties(JitProperties.class)
public class JitMetricsAutoConfiguration {
  /** Made by Spring. */
  public JitMetricsAutoConfiguration() {}

  /**
   * Counts every audit event, then hands it to the application's {@link AuditSink} beans (or, if
   * there are none, to the library's default {@link Slf4jAuditSink}).
   */
  @Bean
  @ConditionalOnMissingBean
  JitAuditTrail jitAuditTrail(MeterRegistry registry, ObjectProvider<AuditSink> sinks,
      Clock clock, JitProperties properties) {
    AuditSink application = Runtimes.auditSink(sinks);
    if (application == null) {
      application = Slf4jAuditSink.builder().clock(clock).build();
    }
    return new JitAuditTrail(counters(registry, properties.getMetrics()).auditSink(application));
  }

  /** Times check, mint and revoke on the runtime the starter builds. */
  @Bean
  RuntimeInstrumentation jitTimedRuntime(MeterRegistry registry) {
    JitMetrics metrics = JitMetrics.builder().registry(registry).build();
    return metrics::timed;
  }

  /** The gauges, bound to the registry; each backend is added by the source that knows it. */
  @Bean
  @ConditionalOnMissingBean(JitMetrics.class)
  JitGauges jitGauges(MeterRegistry registry, GrantStore grants, Clock clock,
      JitProperties properties, ObjectProvider<GaugeSource> sources) {
    MetricsProperties m = properties.getMetrics();
    JitMetrics.Builder builder = JitMetrics.builder().registry(registry).grants(grants)
        .clock(clock);
    if (m.getRefreshInterval() != null) {
      builder.refreshInterval(m.getRefreshInterval());
    }
    if (m.getMaxScan() != null) {
      builder.maxScan(m.getMaxScan());
    }
    if (m.getMaxCount() != null) {
      builder.maxCount(m.getMaxCount());
    }
    if (m.getLingeringAfter() != null) {
      builder.lingeringAfter(m.getLingeringAfter());
    }
    sources.orderedStream().forEach(s -> s.addTo(builder));
    return new JitGauges(builder.build(), registry);
  }

  private static JitMetrics counters(MeterRegistry registry, MetricsProperties m) {
    JitMetrics.Builder builder = JitMetrics.builder().registry(registry);
    if (m.getMaxReasons() != null) {
      builder.maxReasons(m.getMaxReasons());
    }
    return builder.build();
  }

  /** Adds a backend of a gauge to the gauges' builder. */
  @FunctionalInterface
  interface GaugeSource {
    /** Adds the backend, if its bean exists. */
    void addTo(JitMetrics.Builder builder);
  }

  /** The gauges, bound to the registry when made. */
  static final class JitGauges {
    private final JitMetrics metrics;

    JitGauges(JitMetrics metrics, MeterRegistry registry) {
      this.metrics = metrics;
      metrics.bindTo(registry);
    }

    /** The gauges' binder. */
    JitMetrics metrics() {
      return metrics;
    }
  }

  /** The pending-requests gauge, and the live-grant tier tags from the risk tiers. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Governance.class)
  static class GovernanceGauges {
    @Bean
    GaugeSource jitGovernanceGauges(ObjectProvider<Governance> governance,
        ObjectProvider<RiskTiers> tiers) {
      return builder -> {
        governance.ifAvailable(builder::governance);
        tiers.ifAvailable(t -> builder.tiers(t.all().stream().map(RiskTier::name)
            .toArray(String[]::new)));
      };
    }
  }

  /** The lingering-teardowns gauge. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Teardown.class)
  static class TeardownGauges {
    @Bean
    GaugeSource jitTeardownGauges(ObjectProvider<Teardown> teardown) {
      return builder -> teardown.ifAvailable(builder::teardown);
    }
  }
}
