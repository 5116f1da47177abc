package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A bad value fails the start with a message naming the property and the rule. */
class BadPropertiesTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(JitPostgresAutoConfiguration.class,
          JitCelPolicyAutoConfiguration.class, JitTeardownAutoConfiguration.class,
          JitGovernanceAutoConfiguration.class, JitAccessAutoConfiguration.class));

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', value = {
      "jit.limits.max-lifetime | -5m | jit.limits.max-lifetime must be > 0, was PT-5M",
      "jit.limits.max-hard-cap | 0s | jit.limits.max-hard-cap must be > 0, was PT0S",
      "jit.limits.max-delegation-depth | 65 | jit.limits.max-delegation-depth must be in [0, 64], was 65",
      "jit.limits.ended-task-retention | -1s | jit.limits.ended-task-retention must be > 0",
      "jit.store.retention | 0s | jit.store.retention must be > 0",
      "jit.store.postgres.max-lag | 0ms | jit.store.postgres.max-lag must be > 0",
      "jit.store.postgres.schema | pg_x | jit.store.postgres.schema must match",
      "jit.store.postgres.schema | Public | jit.store.postgres.schema must match",
      "jit.governance.request-ttl | -1h | jit.governance.request-ttl must be > 0",
      "jit.governance.tiers.GOLD.based-on | PLATINUM | jit.governance.tiers.GOLD.based-on must name a default tier [LOW, MEDIUM, HIGH, CRITICAL, LONG_RUNNING], was 'PLATINUM'",
      "jit.governance.tiers.GOLD.approvals | 17 | jit.governance.tiers.GOLD.approvals must be in [0, 16], was 17",
      "jit.governance.tiers.GOLD.on-lapse | IGNORE | jit.governance.tiers.GOLD.on-lapse must be one of NOTIFY, SUSPEND, REVOKE",
      "jit.governance.keep-default-tiers | false | jit.governance.tiers must define at least one tier",
      "jit.teardown.lease | -1m | jit.teardown.lease must be > 0",
      "jit.metrics.refresh-interval | 0s | jit.metrics.refresh-interval must be > 0",
      "jit.metrics.max-scan | 0 | jit.metrics.max-scan must be in [1, 10000000], was 0",
      "jit.metrics.max-count | 1000001 | jit.metrics.max-count must be in [1, 1000000]",
      "jit.metrics.max-reasons | 0 | jit.metrics.max-reasons must be in [1, 10000]",
      "jit.metrics.lingering-after | -1m | jit.metrics.lingering-after must be >= 0",
  })
  void aBrokenRuleFailsTheStartNamingTheProperty(String property, String value,
      String message) {
    runner.withPropertyValues(property + "=" + value).run(context ->
        assertThat(context).getFailure().hasStackTraceContaining(message));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "jit.limits.max-lifetime=2h, jit.limits.max-hard-cap=1h | jit.limits.max-hard-cap must be >= jit.limits.max-lifetime (PT2H), was PT1H",
      "jit.governance.track-last-use=true, jit.limits.allowed-checks=each | jit.limits.allowed-checks must stay OFF with jit.governance.track-last-use",
      "jit.limits.max-lifetime=2h | jit.limits.max-lifetime and jit.limits.max-hard-cap do not apply with governance",
      "jit.store.type=postgres | jit.store.type=postgres needs a javax.sql.DataSource bean",
      "jit.governance.tiers.GOLD.max-lifetime=2h, jit.governance.tiers.GOLD.hard-cap=1h | jit.governance.tiers.GOLD is not a valid tier: hardCap must be >= maxLifetime",
  })
  void aBrokenRuleBetweenPropertiesFailsTheStartNamingThem(String properties, String message) {
    runner.withPropertyValues(properties.split(",\\s*")).run(context ->
        assertThat(context).getFailure().hasStackTraceContaining(message));
  }
}
