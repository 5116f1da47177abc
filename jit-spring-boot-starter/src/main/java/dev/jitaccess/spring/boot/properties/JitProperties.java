package dev.jitaccess.spring.boot.properties;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.validation.Errors;
import org.springframework.validation.Validator;
import org.springframework.validation.annotation.Validated;

/**
 * The {@code jit.*} properties. Bound once at start; each group checks its rules then (this class
 * is its own {@link Validator}), so a bad value fails the start with a message that names the
 * property and the rule, such as {@code jit.limits.max-lifetime must be > 0, was PT-5M}. Not
 * thread-safe while binding; read-only afterwards.
 */
@ConfigurationProperties(prefix = "jit")
@Validated
public class JitProperties implements Validator {
  /** Whether JIT Access is auto-configured at all. */
  private boolean enabled = true;

  /** The runtime's limits. */
  @NestedConfigurationProperty
  private final LimitsProperties limits = new LimitsProperties();

  /** Where grants are kept. */
  @NestedConfigurationProperty
  private final StoreProperties store = new StoreProperties();

  /** The access policy. */
  @NestedConfigurationProperty
  private final PolicyProperties policy = new PolicyProperties();

  /** Governance (jit-governance on the class path). */
  @NestedConfigurationProperty
  private final GovernanceProperties governance = new GovernanceProperties();

  /** Verified teardown (jit-teardown on the class path). */
  @NestedConfigurationProperty
  private final TeardownProperties teardown = new TeardownProperties();

  /** Micrometer meters (jit-micrometer and a MeterRegistry). */
  @NestedConfigurationProperty
  private final MetricsProperties metrics = new MetricsProperties();

  /** HTTP enforcement of grants (jit-web in a servlet web application). */
  @NestedConfigurationProperty
  private final WebProperties web = new WebProperties();

  /** Whether JIT Access is auto-configured at all (default true). */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether JIT Access is auto-configured at all. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The runtime's limits ({@code jit.limits.*}). */
  public LimitsProperties getLimits() {
    return limits;
  }

  /** Where grants are kept ({@code jit.store.*}). */
  public StoreProperties getStore() {
    return store;
  }

  /** The access policy ({@code jit.policy.*}). */
  public PolicyProperties getPolicy() {
    return policy;
  }

  /** Governance ({@code jit.governance.*}). */
  public GovernanceProperties getGovernance() {
    return governance;
  }

  /** Verified teardown ({@code jit.teardown.*}). */
  public TeardownProperties getTeardown() {
    return teardown;
  }

  /** Micrometer meters ({@code jit.metrics.*}). */
  public MetricsProperties getMetrics() {
    return metrics;
  }

  /** HTTP enforcement ({@code jit.web.*}). */
  public WebProperties getWeb() {
    return web;
  }

  @Override
  public boolean supports(Class<?> type) {
    return JitProperties.class.isAssignableFrom(type);
  }

  @Override
  public void validate(Object target, Errors errors) {
    JitProperties p = (JitProperties) target;
    Rules rules = new Rules(errors);
    p.limits.validate(rules);
    p.store.validate(rules);
    p.governance.validate(rules);
    p.teardown.validate(rules);
    p.metrics.validate(rules);
    p.web.validate(rules);
    if (p.governance.isTrackLastUse()
        && p.limits.getAllowedChecks() != dev.jitaccess.core.AllowedCheckAudit.OFF) {
      rules.reject("jit.limits.allowed-checks", "must stay OFF with "
          + "jit.governance.track-last-use, which audits each allowed check itself");
    }
  }
}
