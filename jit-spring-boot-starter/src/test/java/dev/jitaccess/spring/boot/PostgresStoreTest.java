package dev.jitaccess.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jitaccess.Grant;
import dev.jitaccess.governance.EligibilityRules;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.spi.GovernanceStore;
import dev.jitaccess.postgres.Consistency;
import dev.jitaccess.postgres.PostgresGovernanceStore;
import dev.jitaccess.postgres.PostgresGrantStore;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.testkit.time.FakeClock;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.awaitility.Awaitility.await;

/** {@code jit.store.type=postgres} on a real PostgreSQL, with the health indicator. */
class PostgresStoreTest {
  private static EmbeddedPostgres server;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(JitPostgresAutoConfiguration.class,
          JitCelPolicyAutoConfiguration.class, JitTeardownAutoConfiguration.class,
          JitGovernanceAutoConfiguration.class, JitAccessAutoConfiguration.class,
          JitActuatorAutoConfiguration.class))
      .withBean(FakeClock.class, FakeClock::new)
      .withBean(EligibilityRules.class, Fixtures::rules);

  @BeforeAll
  static void start() throws IOException {
    server = EmbeddedPostgres.builder().setLocaleConfig("locale", "C").start();
  }

  @AfterAll
  static void stop() throws IOException {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void grantsAndGovernanceAreKeptInTheConfiguredSchema() {
    DataSource db = server.getPostgresDatabase();
    runner.withBean(DataSource.class, () -> db)
        .withPropertyValues("jit.store.type=postgres", "jit.store.postgres.schema=jit_strict",
            "jit.store.postgres.consistency=strict").run(context -> {
              PostgresGrantStore store = (PostgresGrantStore) context.getBean(GrantStore.class);
              assertThat(store.schema()).isEqualTo("jit_strict");
              assertThat(store.consistency()).isEqualTo(Consistency.STRICT);
              assertThat(context.getBean(GovernanceStore.class))
                  .isInstanceOf(PostgresGovernanceStore.class);
              Grant grant = Fixtures.activate(context.getBean(Governance.class), "t-1");
              assertThat(count(db, "jit_strict.grants", grant.reference())).isEqualTo(1);
              JitAccessHealthIndicator health = context.getBean(JitAccessHealthIndicator.class);
              assertThat(health.health().getStatus()).isEqualTo(Status.UP);
            });
  }

  @Test
  void noSchemaIsAppliedWhenTurnedOff() {
    DataSource db = server.getPostgresDatabase();
    runner.withBean(DataSource.class, () -> db)
        .withPropertyValues("jit.store.type=postgres", "jit.store.postgres.schema=jit_none",
            "jit.store.postgres.apply-schema=false")
        .run(context -> assertThat(context).getFailure().hasStackTraceContaining("jit_none"));
  }

  @Test
  void healthIsDownWithoutDetailWhenTheDatabaseStopsAndTheCachedFollowerLosesIt()
      throws IOException {
    try (EmbeddedPostgres own = EmbeddedPostgres.builder().setLocaleConfig("locale", "C")
        .start()) {
      DataSource db = own.getPostgresDatabase();
      runner.withBean(DataSource.class, () -> db)
          .withPropertyValues("jit.store.type=postgres", "jit.store.postgres.max-lag=200ms")
          .run(context -> {
            JitAccessHealthIndicator indicator = context.getBean(JitAccessHealthIndicator.class);
            await().atMost(10, TimeUnit.SECONDS)
                .until(() -> indicator.health().getStatus().equals(Status.UP));
            own.close();
            await().atMost(20, TimeUnit.SECONDS)
                .until(() -> indicator.health().getStatus().equals(Status.DOWN));
            Health down = indicator.health();
            assertThat(down.getDetails()).isEqualTo(Map.of("store", "stale"));
          });
    }
  }

  private static int count(DataSource db, String table, String reference) throws Exception {
    try (Connection c = db.getConnection();
        var s = c.prepareStatement("select count(*) from " + table + " where reference = ?")) {
      s.setString(1, reference);
      try (ResultSet r = s.executeQuery()) {
        r.next();
        return r.getInt(1);
      }
    }
  }
}
