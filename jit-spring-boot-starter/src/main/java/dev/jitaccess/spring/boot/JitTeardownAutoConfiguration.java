package dev.jitaccess.spring.boot;

import dev.jitaccess.RevocationListener;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.spring.boot.properties.JitProperties;
import dev.jitaccess.spring.boot.properties.TeardownProperties;
import dev.jitaccess.teardown.InMemoryTeardownLedger;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.teardown.spi.TeardownAlerts;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures verified {@link Teardown} when jit-teardown is on the class path and the
 * application defines at least one {@link Downstream} bean: every {@code Downstream} bean is
 * registered (with the default options), the ledger is in memory or, with {@code
 * jit.store.type=postgres}, in PostgreSQL, and a {@link JitAccessBuilderCustomizer} registers its
 * {@link RevocationListener} with the runtime (on a thread of its own when the ledger is not in
 * memory). The
 * application's {@link TeardownAlerts} bean, if any, is told of irrevocable teardowns. Backs off
 * when the application defines its own {@link Teardown}; {@code jit.teardown.enabled=false} turns
 * it off.
 */
@AutoConfiguration(before = {JitGovernanceAutoConfiguration.class,
    JitAccessAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "jit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "jit.teardown.enabled", matchIfMissing = true)
@ConditionalOnClass(Teardown.class)
@ConditionalOnBean(Downstream.class)
@EnableConfigurationProperties(JitProperties.class)
public class JitTeardownAutoConfiguration {
  /** Made by Spring. */
  public JitTeardownAutoConfiguration() {}

  /** The ledger in memory (PostgreSQL's backs this off). */
  @Bean
  @ConditionalOnMissingBean(TeardownLedger.class)
  InMemoryTeardownLedger jitTeardownLedger() {
    return new InMemoryTeardownLedger();
  }

  /** The teardown, its timers stopped when the context closes. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Teardown jitTeardown(JitProperties properties, Clock clock, Scheduler scheduler,
      GrantStore grants, TeardownLedger ledger, ObjectProvider<Downstream> downstreams,
      JitAuditTrail audit, ObjectProvider<TeardownAlerts> alerts) {
    Teardown.Builder builder = Teardown.builder().clock(clock).scheduler(scheduler)
        .grants(grants).ledger(ledger);
    downstreams.orderedStream().forEach(builder::downstream);
    AuditSink sink = audit.sink();
    if (sink != null) {
      builder.auditSink(sink);
    }
    alerts.ifAvailable(builder::alerts);
    TeardownProperties t = properties.getTeardown();
    if (t.getInstanceId() != null) {
      builder.instanceId(t.getInstanceId());
    }
    if (t.getPollInterval() != null) {
      builder.pollInterval(t.getPollInterval());
    }
    if (t.getLease() != null) {
      builder.lease(t.getLease());
    }
    if (t.getSettledRetention() != null) {
      builder.settledRetention(t.getSettledRetention());
    }
    return builder.build();
  }

  /**
   * The teardown's listener, which the runtime registers: on the revoking thread for the
   * in-memory ledger, else on a thread of its own (stopped when the context closes).
   */
  @Bean
  JitAccessBuilderCustomizer jitTeardownListener(Teardown teardown, TeardownLedger ledger) {
    return new TeardownListenerCustomizer(teardown.listener(),
        !(ledger instanceof InMemoryTeardownLedger));
  }
}
