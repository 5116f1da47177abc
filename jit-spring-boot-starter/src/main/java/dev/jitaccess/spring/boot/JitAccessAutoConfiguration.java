package dev.jitaccess.spring.boot;

import dev.jitaccess.RevocationListener;
import dev.jitaccess.core.DaemonScheduler;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.spring.boot.properties.JitProperties;
import dev.jitaccess.spring.boot.properties.StoreType;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures the {@link JitAccess} runtime from {@code jit.*}: its clock (the application's
 * {@link Clock} bean, else the UTC system clock), scheduler, in-memory store (PostgreSQL is {@link
 * JitPostgresAutoConfiguration}'s), policy (an {@link AccessPolicy} bean, if any), every {@link
 * AuditSink} and {@link RevocationListener} bean, and every {@link JitAccessBuilderCustomizer}.
 * With governance configured, {@link JitGovernanceAutoConfiguration} makes the runtime instead.
 * Every bean backs off when the application defines its own; {@code jit.enabled=false} turns all
 * of it off. The runtime is closed when the context closes.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "jit.enabled", matchIfMissing = true)
@EnableConfigurationProperties(JitProperties.class)
public class JitAccessAutoConfiguration {
  /** Made by Spring. */
  public JitAccessAutoConfiguration() {}

  /** The UTC system clock, unless the application defines a {@link Clock}. */
  @Bean
  @ConditionalOnMissingBean
  Clock jitClock() {
    return Clock.systemUTC();
  }

  /** A scheduler on a daemon thread of its own, unless the application defines a {@link Scheduler}. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Scheduler jitScheduler() {
    return new DaemonScheduler("jit-scheduler");
  }

  /**
   * The in-memory grant store, for {@code jit.store.type=memory}. For {@code postgres} the
   * PostgreSQL configuration makes the store; reaching this bean then means jit-postgres is
   * missing, and the start fails rather than keep grants in memory.
   */
  @Bean
  @ConditionalOnMissingBean
  GrantStore jitGrantStore(JitProperties properties, Clock clock, Scheduler scheduler) {
    if (properties.getStore().getType() == StoreType.POSTGRES) {
      throw new IllegalStateException("jit.store.type=postgres needs dev.jitaccess:jit-postgres "
          + "on the class path (or a GrantStore bean of the application's)");
    }
    InMemoryGrantStore.Builder builder = InMemoryGrantStore.builder().clock(clock)
        .scheduler(scheduler);
    if (properties.getStore().getRetention() != null) {
      builder.retention(properties.getStore().getRetention());
    }
    return builder.build();
  }

  /**
   * Every {@link AuditSink} bean as one sink, given to the runtime, governance, teardown and web
   * enforcer alike (the metrics configuration puts a counting sink in front instead).
   */
  @Bean
  @ConditionalOnMissingBean
  JitAuditTrail jitAuditTrail(ObjectProvider<AuditSink> sinks) {
    return new JitAuditTrail(Runtimes.auditSink(sinks));
  }

  /**
   * The runtime, closed with the context; with metrics configured, the timed decorator of it
   * (which closes it).
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  JitAccess jitAccess(JitProperties properties, Clock clock, Scheduler scheduler,
      GrantStore store, ObjectProvider<AccessPolicy> policy, JitAuditTrail audit,
      ObjectProvider<RevocationListener> listeners,
      ObjectProvider<JitAccessBuilderCustomizer> customizers,
      ObjectProvider<RuntimeInstrumentation> instrumentation) {
    JitAccessBuilder builder = JitAccess.builder().clock(clock).scheduler(scheduler).store(store);
    AccessPolicy accessPolicy = policy.getIfAvailable();
    Runtimes.requirePolicyIfConfigured(properties, accessPolicy != null);
    if (accessPolicy != null) {
      builder.policy(accessPolicy);
    }
    AuditSink sink = audit.sink();
    if (sink != null) {
      builder.auditSink(sink);
    }
    Runtimes.configure(builder, properties, false, listeners);
    Runtimes.customize(builder, customizers);
    return RuntimeInstrumentation.apply(builder.build(), instrumentation);
  }
}
