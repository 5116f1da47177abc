package dev.jitaccess.spring.boot;

import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.spi.BundleStore;
import dev.jitaccess.governance.spi.GovernanceStore;
import dev.jitaccess.governance.spi.RecertificationStore;
import dev.jitaccess.postgres.Consistency;
import dev.jitaccess.postgres.PostgresBundleStore;
import dev.jitaccess.postgres.PostgresGovernanceSchema;
import dev.jitaccess.postgres.PostgresGovernanceStore;
import dev.jitaccess.postgres.PostgresGrantStore;
import dev.jitaccess.postgres.PostgresRecertificationStore;
import dev.jitaccess.postgres.PostgresSchema;
import dev.jitaccess.postgres.PostgresTeardownLedger;
import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spring.boot.properties.JitProperties;
import dev.jitaccess.spring.boot.properties.StoreProperties;
import dev.jitaccess.teardown.Teardown;
import dev.jitaccess.teardown.spi.TeardownLedger;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures the PostgreSQL stores of jit-postgres for {@code jit.store.type=postgres}, on
 * the application's {@link DataSource} bean: the grant store ({@link PostgresGrantStore}, with
 * the schema, consistency, max lag and retention of {@code jit.store.*}) and, when their modules
 * are present, governance's stores and teardown's ledger in the same schema. With {@code
 * jit.store.postgres.apply-schema} (the default) the grant and governance schemas are created or
 * upgraded at start. Each store backs off when the application defines its own.
 */
@AutoConfiguration(before = {JitGovernanceAutoConfiguration.class,
    JitTeardownAutoConfiguration.class, JitAccessAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "jit.enabled", matchIfMissing = true)
@ConditionalOnClass(PostgresGrantStore.class)
@ConditionalOnProperty(name = "jit.store.type", havingValue = "postgres")
@EnableConfigurationProperties(JitProperties.class)
public class JitPostgresAutoConfiguration {
  /** Made by Spring. */
  public JitPostgresAutoConfiguration() {}

  /** The application's data source, or a start failure naming the property that needs it. */
  static DataSource dataSource(ObjectProvider<DataSource> dataSources) {
    DataSource dataSource = dataSources.getIfAvailable();
    if (dataSource == null) {
      throw new IllegalStateException("jit.store.type=postgres needs a javax.sql.DataSource "
          + "bean (for example spring.datasource.url with spring-boot-starter-jdbc)");
    }
    return dataSource;
  }

  /** The grant store; its schema is applied first if {@code apply-schema} is on. */
  @Bean
  @ConditionalOnMissingBean(GrantStore.class)
  PostgresGrantStore jitGrantStore(JitProperties properties, Clock clock,
      ObjectProvider<DataSource> dataSources) {
    DataSource dataSource = dataSource(dataSources);
    StoreProperties.Postgres pg = properties.getStore().getPostgres();
    if (pg.isApplySchema()) {
      PostgresSchema.apply(dataSource, pg.getSchema());
    }
    PostgresGrantStore.Builder builder = PostgresGrantStore.builder().dataSource(dataSource)
        .schema(pg.getSchema()).clock(clock)
        .consistency(Consistency.valueOf(pg.getConsistency().name())).maxLag(pg.getMaxLag());
    if (properties.getStore().getRetention() != null) {
      builder.retention(properties.getStore().getRetention());
    }
    return builder.build();
  }

  /** The governance schema, applied once before the first store that needs it. */
  static void applyGovernanceSchema(JitProperties properties, DataSource dataSource) {
    StoreProperties.Postgres pg = properties.getStore().getPostgres();
    if (pg.isApplySchema()) {
      PostgresGovernanceSchema.apply(dataSource, pg.getSchema()); // idempotent
    }
  }

  /** Governance's stores in PostgreSQL, when jit-governance is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Governance.class)
  @ConditionalOnProperty(name = "jit.store.type", havingValue = "postgres")
  static class GovernanceStores {
    @Bean
    @ConditionalOnMissingBean(GovernanceStore.class)
    PostgresGovernanceStore jitGovernanceStore(JitProperties properties,
        ObjectProvider<DataSource> dataSources) {
      DataSource dataSource = dataSource(dataSources);
      applyGovernanceSchema(properties, dataSource);
      return PostgresGovernanceStore.builder().dataSource(dataSource)
          .schema(properties.getStore().getPostgres().getSchema()).build();
    }

    @Bean
    @ConditionalOnMissingBean(BundleStore.class)
    PostgresBundleStore jitBundleStore(JitProperties properties,
        ObjectProvider<DataSource> dataSources) {
      DataSource dataSource = dataSource(dataSources);
      applyGovernanceSchema(properties, dataSource);
      return PostgresBundleStore.builder().dataSource(dataSource)
          .schema(properties.getStore().getPostgres().getSchema()).build();
    }

    @Bean
    @ConditionalOnMissingBean(RecertificationStore.class)
    PostgresRecertificationStore jitRecertificationStore(JitProperties properties,
        ObjectProvider<DataSource> dataSources) {
      DataSource dataSource = dataSource(dataSources);
      applyGovernanceSchema(properties, dataSource);
      return PostgresRecertificationStore.builder().dataSource(dataSource)
          .schema(properties.getStore().getPostgres().getSchema()).build();
    }
  }

  /** Teardown's ledger in PostgreSQL, when jit-teardown is present. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(Teardown.class)
  @ConditionalOnProperty(name = "jit.store.type", havingValue = "postgres")
  static class TeardownLedgerStore {
    @Bean
    @ConditionalOnMissingBean(TeardownLedger.class)
    PostgresTeardownLedger jitTeardownLedger(JitProperties properties,
        ObjectProvider<DataSource> dataSources) {
      DataSource dataSource = dataSource(dataSources);
      applyGovernanceSchema(properties, dataSource);
      return PostgresTeardownLedger.builder().dataSource(dataSource)
          .schema(properties.getStore().getPostgres().getSchema()).build();
    }
  }
}
