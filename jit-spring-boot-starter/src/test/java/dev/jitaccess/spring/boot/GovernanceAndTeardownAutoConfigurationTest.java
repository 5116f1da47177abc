package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.InMemoryGovernanceStore;
import dev.jitaccess.governance.LapseAction;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.teardown.InMemoryTeardownLedger;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownResult;
import dev.jitaccess.teardown.spi.Downstream;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Governance and teardown, configured when their modules (and, for teardown, downstreams) are present. */
class GovernanceAndTeardownAutoConfigurationTest {
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(JitPostgresAutoConfiguration.class,
          JitCelPolicyAutoConfiguration.class, JitTeardownAutoConfiguration.class,
          JitGovernanceAutoConfiguration.class, JitAccessAutoConfiguration.class))
      .withBean(FakeClock.class, FakeClock::new)
      .withBean(EligibilityRules.class, Fixtures::rules);

  @Test
  void governanceWrapsTheRuntimeWhenItsModuleIsPresent() {
    runner.run(context -> {
      Governance governance = context.getBean(Governance.class);
      assertThat(context.getBean(JitAccess.class)).isSameAs(governance.access());
      assertThat(context.getBean(RiskTiers.class).all()).hasSize(5);
      Grant grant = Fixtures.activate(governance, "t-1");
      assertThat(governance.access().check(grant.id(), "read", "orders/1").isAllowed()).isTrue();
      assertThat(governance.exposure("owner=team-a").rows()).hasSize(1);
    });
  }

  @Test
  void tiersBindAndAreReplaceable() {
    runner.withPropertyValues("jit.governance.keep-default-tiers=false",
        "jit.governance.tiers.LOW.max-lifetime=20m",
        "jit.governance.tiers.GOLD.based-on=HIGH", "jit.governance.tiers.GOLD.approvals=3",
        "jit.governance.tiers.GOLD.on-lapse=notify").run(context -> {
          RiskTiers tiers = context.getBean(RiskTiers.class);
          assertThat(tiers.all()).extracting(t -> t.name()).containsExactly("LOW", "GOLD");
          assertThat(tiers.get("LOW").maxLifetime()).isEqualTo(Duration.ofMinutes(20));
          assertThat(tiers.get("LOW").hardCap()).isEqualTo(Duration.ofHours(24));
          assertThat(tiers.get("GOLD").approvals()).isEqualTo(3);
          assertThat(tiers.get("GOLD").rank()).isEqualTo(2);
          assertThat(tiers.get("GOLD").onLapse()).isEqualTo(LapseAction.NOTIFY);
        });
  }

  @Test
  void governancePropertiesBind() {
    runner.withPropertyValues("jit.governance.request-ttl=10m").run(context -> {
      Governance governance = context.getBean(Governance.class);
      FakeClock clock = context.getBean(FakeClock.class);
      var asked = governance.request(dev.jitaccess.governance.RequestSpec.builder()
          .requester("alice").owner("team-a").task("t-1").purpose("fix the export")
          .scope("read:orders/1").lifetime(Duration.ofMinutes(30)).tier(RiskTiers.LOW)
          .justification("the export of order 1 failed, INC-1").build());
      assertThat(asked.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
    });
  }

  @Test
  void governanceBacksOffForTheApplicationsOwnStoreAndIsAbsentWithoutItsModule() {
    InMemoryGovernanceStore own = new InMemoryGovernanceStore();
    runner.withBean("myGovernanceStore", InMemoryGovernanceStore.class, () -> own)
        .run(context -> assertThat(context.getBean(
            dev.jitaccess.governance.spi.GovernanceStore.class)).isSameAs(own));
    runner.withClassLoader(new FilteredClassLoader(Governance.class)).run(context -> {
      assertThat(context).doesNotHaveBean(Governance.class);
      assertThat(context).hasSingleBean(JitAccess.class);
    });
    runner.withPropertyValues("jit.governance.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(Governance.class));
  }

  @Test
  void teardownRegistersEveryDownstreamAndHearsEveryEndedGrant() {
    runner.withBean("db", Downstream.class, () -> new Recorder("db"))
        .withBean("iam", Downstream.class, () -> new Recorder("iam"))
        .withPropertyValues("jit.teardown.instance-id=replica-1").run(context -> {
          Teardown teardown = context.getBean(Teardown.class);
          assertThat(context.getBean(dev.jitaccess.teardown.spi.TeardownLedger.class))
              .isInstanceOf(InMemoryTeardownLedger.class);
          Governance governance = context.getBean(Governance.class);
          Grant grant = Fixtures.activate(governance, "t-1");
          governance.access().revoke(grant.id(), RevocationReason.MANUAL);
          List<TeardownEntry> entries = teardown.entries(grant.id());
          assertThat(entries).extracting(TeardownEntry::downstream)
              .containsExactlyInAnyOrder("db", "iam");
        });
  }

  @Test
  void teardownIsAbsentWithoutDownstreamsOrItsModule() {
    runner.run(context -> assertThat(context).doesNotHaveBean(Teardown.class));
    runner.withBean("db", Downstream.class, () -> new Recorder("db"))
        .withClassLoader(new FilteredClassLoader(Teardown.class))
        .run(context -> assertThat(context).doesNotHaveBean(Teardown.class));
  }

  /** A downstream that acknowledges every revocation. */
  record Recorder(String name) implements Downstream {
    @Override
    public TeardownResult revoke(Grant grant, RevocationReason reason) {
      return TeardownResult.done(grant.reference());
    }
  }
}
