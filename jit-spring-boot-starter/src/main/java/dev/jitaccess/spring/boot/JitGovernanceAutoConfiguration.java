package dev.jitaccess.spring.boot;

import dev.jitaccess.RevocationListener;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.core.JitAccessBuilder;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.GovernanceBuilder;
import dev.jitaccess.governance.InMemoryBundleStore;
import dev.jitaccess.governance.InMemoryGovernanceStore;
import dev.jitaccess.governance.InMemoryRecertificationStore;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.governance.spi.BundleStore;
import dev.jitaccess.governance.spi.Directory;
import dev.jitaccess.governance.spi.GovernanceStore;
import dev.jitaccess.governance.spi.Notifier;
import dev.jitaccess.governance.spi.OwnerDirectory;
import dev.jitaccess.governance.spi.RecertificationStore;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.spring.boot.properties.GovernanceProperties;
import dev.jitaccess.spring.boot.properties.JitProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configures {@link Governance} when jit-governance is on the class path (and {@code
 * jit.governance.enabled} is not false): its risk tiers from {@code jit.governance.tiers}, its
 * stores (in memory, or PostgreSQL with {@code jit.store.type=postgres}), and the application's
 * {@link Directory}, {@link Notifier}, {@link OwnerDirectory}, {@link EligibilityRules} and
 * {@link AccessPolicy} beans if it has them. The {@link JitAccess} bean is then the governance's
 * runtime, built with the runtime's properties, listeners and customizers. Backs off when the
 * application defines its own {@link Governance} or {@link JitAccess}.
 */
@AutoConfiguration(before = JitAccessAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "jit.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "jit.governance.enabled", matchIfMissing = true)
@ConditionalOnClass(Governance.class)
@EnableConfigurationProperties(JitProperties.class)
public class JitGovernanceAutoConfiguration {
  /** Made by Spring. */
  public JitGovernanceAutoConfiguration() {}

  /** The tiers of {@code jit.governance.*}. */
  @Bean
  @ConditionalOnMissingBean
  RiskTiers jitRiskTiers(JitProperties properties) {
    return TierFactory.tiers(properties.getGovernance());
  }

  /** Requests and break-glass locks, in memory (PostgreSQL's backs this off). */
  @Bean
  @ConditionalOnMissingBean(GovernanceStore.class)
  InMemoryGovernanceStore jitGovernanceStore() {
    return new InMemoryGovernanceStore();
  }

  /** Bundles, in memory. */
  @Bean
  @ConditionalOnMissingBean(BundleStore.class)
  InMemoryBundleStore jitBundleStore() {
    return new InMemoryBundleStore();
  }

  /** Recertification decisions, in memory. */
  @Bean
  @ConditionalOnMissingBean(RecertificationStore.class)
  InMemoryRecertificationStore jitRecertificationStore() {
    return new InMemoryRecertificationStore();
  }

  /** The governance and its runtime, closed with the context. */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean({Governance.class, JitAccess.class})
  Governance jitGovernance(JitProperties properties, Clock clock, Scheduler scheduler,
      GrantStore grants, RiskTiers tiers, GovernanceStore store, BundleStore bundles,
      RecertificationStore recertifications, ObjectProvider<AccessPolicy> policy,
      JitAuditTrail audit, ObjectProvider<RevocationListener> listeners,
      ObjectProvider<JitAccessBuilderCustomizer> customizers,
      ObjectProvider<Directory> directory, ObjectProvider<Notifier> notifier,
      ObjectProvider<OwnerDirectory> owners, ObjectProvider<EligibilityRules> rules) {
    if (properties.getLimits().getMaxLifetime() != null
        || properties.getLimits().getMaxHardCap() != null) {
      throw new IllegalStateException("jit.limits.max-lifetime and jit.limits.max-hard-cap do "
          + "not apply with governance: the risk tiers bound every grant "
          + "(jit.governance.tiers.<name>.max-lifetime and .hard-cap)");
    }
    JitAccessBuilder runtime = Runtimes.configure(JitAccess.builder(), properties, true,
        listeners);
    Runtimes.customize(runtime, customizers);
    GovernanceBuilder builder = Governance.builder().runtime(runtime).grants(grants)
        .clock(clock).scheduler(scheduler).tiers(tiers).store(store).bundleStore(bundles)
        .recertificationStore(recertifications);
    AccessPolicy accessPolicy = policy.getIfAvailable();
    Runtimes.requirePolicyIfConfigured(properties, accessPolicy != null);
    if (accessPolicy != null) {
      builder.policy(accessPolicy);
    }
    AuditSink sink = audit.sink();
    if (sink != null) {
      builder.auditSink(sink);
    }
    directory.ifAvailable(builder::directory);
    notifier.ifAvailable(builder::notifier);
    owners.ifAvailable(builder::ownerDirectory);
    rules.ifAvailable(builder::rules);
    GovernanceProperties g = properties.getGovernance();
    if (g.getRequestTtl() != null) {
      builder.requestTtl(g.getRequestTtl());
    }
    if (g.getActivationWindow() != null) {
      builder.activationWindow(g.getActivationWindow());
    }
    if (g.getReviewDeadline() != null) {
      builder.reviewDeadline(g.getReviewDeadline());
    }
    if (g.getMaxStartDelay() != null) {
      builder.maxStartDelay(g.getMaxStartDelay());
    }
    if (g.isTrackLastUse()) {
      builder.trackLastUse();
    }
    return builder.build();
  }

  /**
   * The governance's runtime (with metrics configured, the timed decorator of it); the governance
   * closes it.
   */
  @Bean(destroyMethod = "")
  @ConditionalOnMissingBean
  JitAccess jitAccess(Governance governance,
      ObjectProvider<RuntimeInstrumentation> instrumentation) {
    return RuntimeInstrumentation.apply(governance.access(), instrumentation);
  }
}
