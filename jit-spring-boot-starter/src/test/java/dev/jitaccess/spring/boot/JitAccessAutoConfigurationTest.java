package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationListener;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.policy.cel.CelPolicy;
import dev.jitaccess.postgres.PostgresGrantStore;
import dev.jitaccess.spi.AuditSink;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.Scheduler;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The runtime's auto-configuration, without governance, teardown, PostgreSQL or CEL. */
class JitAccessAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(JitPostgresAutoConfiguration.class,
          JitCelPolicyAutoConfiguration.class, JitTeardownAutoConfiguration.class,
          JitGovernanceAutoConfiguration.class, JitAccessAutoConfiguration.class))
      .withClassLoader(new FilteredClassLoader(Governance.class, Teardown.class,
          PostgresGrantStore.class, CelPolicy.class));

  @Test
  void defaultsGiveAnInMemoryRuntimeOnTheUtcSystemClock() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(JitAccess.class);
      assertThat(context.getBean(GrantStore.class)).isInstanceOf(InMemoryGrantStore.class);
      assertThat(context.getBean(Clock.class).getZone()).isEqualTo(ZoneOffset.UTC);
      assertThat(context).hasSingleBean(Scheduler.class);
      assertThat(context).doesNotHaveBean(Governance.class);
      JitAccess jit = context.getBean(JitAccess.class);
      Grant grant = jit.request(Fixtures.request("t-1", Duration.ofMinutes(5)));
      assertThat(jit.check(grant.id(), "read", "orders/1").isAllowed()).isTrue();
    });
  }

  @Test
  void limitsBindFromProperties() {
    runner.withPropertyValues("jit.limits.max-lifetime=10m", "jit.limits.max-hard-cap=1h",
        "jit.limits.max-delegation-depth=0", "jit.limits.allowed-checks=count").run(context -> {
          JitAccess jit = context.getBean(JitAccess.class);
          assertThatThrownBy(() -> jit.request(Fixtures.request("t-1", Duration.ofMinutes(11))))
              .isInstanceOf(IllegalArgumentException.class);
          Grant grant = jit.request(Fixtures.request("t-2", Duration.ofMinutes(10)));
          jit.check(grant.id(), "read", "orders/1");
          assertThat(jit.allowedChecks(grant.id())).hasValue(1);
          assertThatThrownBy(() -> jit.delegate(grant.id(), dev.jitaccess.Scope.parse(
              "read:orders/1"), Duration.ofMinutes(1), "bob"))
              .isInstanceOf(IllegalArgumentException.class);
        });
  }

  @Test
  void theApplicationsClockAndSchedulerAreUsed() {
    runner.withUserConfiguration(FakeClockConfig.class).run(context -> {
      FakeClock clock = context.getBean(FakeClock.class);
      assertThat(context.getBean(Clock.class)).isSameAs(clock);
      assertThat(context.getBean(Scheduler.class)).isSameAs(clock);
      JitAccess jit = context.getBean(JitAccess.class);
      Grant grant = jit.request(Fixtures.request("t-1", Duration.ofMinutes(5)));
      assertThat(grant.issuedAt()).isEqualTo(clock.instant());
      clock.advance(Duration.ofMinutes(5));
      assertThat(jit.grant(grant.id()).orElseThrow().state()).isEqualTo(GrantState.EXPIRED);
    });
  }

  @Test
  void everyListenerAndAuditSinkBeanIsRegistered() {
    runner.withUserConfiguration(ListenersConfig.class).run(context -> {
      JitAccess jit = context.getBean(JitAccess.class);
      Grant grant = jit.request(Fixtures.request("t-1", Duration.ofMinutes(5)));
      jit.revoke(grant.id(), RevocationReason.MANUAL);
      ListenersConfig config = context.getBean(ListenersConfig.class);
      assertThat(config.revoked).containsExactly(grant.reference(), grant.reference());
      assertThat(config.first).isNotEmpty().isEqualTo(config.second);
    });
  }

  @Test
  void theApplicationsOwnBeansWin() {
    JitAccess own = JitAccess.builder().build();
    InMemoryGrantStore store = InMemoryGrantStore.create();
    runner.withBean("myJit", JitAccess.class, () -> own)
        .withBean("myStore", GrantStore.class, () -> store).run(context -> {
          assertThat(context.getBean(JitAccess.class)).isSameAs(own);
          assertThat(context.getBean(GrantStore.class)).isSameAs(store);
        });
    own.close();
  }

  @Test
  void customizersChangeTheBuilderBeforeItBuilds() {
    runner.withBean(JitAccessBuilderCustomizer.class,
        () -> builder -> builder.endedTaskRetention(Duration.ofMinutes(1))).run(context -> {
          JitAccess jit = context.getBean(JitAccess.class);
          jit.revokeTask("t-1", RevocationReason.TASK_COMPLETED);
          assertThat(jit.isTaskEnded("t-1")).isTrue();
        });
  }

  @Test
  void disabledMakesNothing() {
    runner.withPropertyValues("jit.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(JitAccess.class);
      assertThat(context).doesNotHaveBean(GrantStore.class);
    });
  }

  @Test
  void theRuntimeIsClosedWithTheContext() {
    JitAccess[] held = new JitAccess[1];
    runner.run(context -> held[0] = context.getBean(JitAccess.class));
    assertThatThrownBy(() -> held[0].request(Fixtures.request("t-1", Duration.ofMinutes(5))))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }

  @Test
  void postgresWithoutJitPostgresFailsTheStart() {
    runner.withPropertyValues("jit.store.type=postgres").run(context ->
        assertThat(context).getFailure().rootCause()
            .hasMessageContaining("jit.store.type=postgres needs dev.jitaccess:jit-postgres"));
  }

  @Test
  void aCelPolicyFileWithoutJitPolicyCelFailsTheStart() {
    runner.withPropertyValues("jit.policy.cel.location=classpath:ticket-policy.yaml")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("jit.policy.cel.location is set, but no policy was made of it"));
  }

  @Test
  void aCelPolicyFileDecidesRequests() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(JitCelPolicyAutoConfiguration.class,
            JitAccessAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader(Governance.class))
        .withPropertyValues("jit.policy.cel.location=classpath:ticket-policy.yaml")
        .run(context -> {
          assertThat(context).hasSingleBean(CelPolicy.class);
          JitAccess jit = context.getBean(JitAccess.class);
          assertThatThrownBy(() -> jit.request(Fixtures.request("t-1", Duration.ofMinutes(5))))
              .isInstanceOf(GrantDeniedException.class).hasMessageContaining("TICKET_REQUIRED");
        });
  }

  @Test
  void aBrokenCelPolicyFileFailsTheStartNamingTheFileAndLine() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(JitCelPolicyAutoConfiguration.class,
            JitAccessAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader(Governance.class))
        .withPropertyValues("jit.policy.cel.location=classpath:broken-policy.yaml")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("broken-policy.yaml:").hasMessageContaining("reasn"));
  }

  @Configuration(proxyBeanMethods = false)
  static class FakeClockConfig {
    @Bean
    FakeClock fakeClock() {
      return new FakeClock();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class ListenersConfig {
    final List<String> revoked = new CopyOnWriteArrayList<>();
    final List<AuditEvent> first = new CopyOnWriteArrayList<>();
    final List<AuditEvent> second = new CopyOnWriteArrayList<>();

    @Bean
    RevocationListener one() {
      return (grant, reason) -> revoked.add(grant.reference());
    }

    @Bean
    RevocationListener two() {
      return (grant, reason) -> revoked.add(grant.reference());
    }

    @Bean
    AuditSink sinkOne() {
      return first::add;
    }

    @Bean
    AuditSink sinkTwo() {
      return second::add;
    }
  }
}
