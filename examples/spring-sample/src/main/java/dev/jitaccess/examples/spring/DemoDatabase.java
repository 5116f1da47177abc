package dev.jitaccess.examples.spring;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The demo's PostgreSQL: an embedded server started with the application on a free port and
 * stopped when the application closes, exposed as the {@link DataSource} the starter's
 * PostgreSQL store uses ({@code jit.store.type=postgres}). An application would define its own
 * data source (or let Spring Boot make one from {@code spring.datasource.*}) instead.
 */
@Configuration(proxyBeanMethods = false)
class DemoDatabase {
  /** The server; closed (stopped, its files deleted) with the context. */
  @Bean(destroyMethod = "close")
  EmbeddedPostgres embeddedPostgres() throws IOException {
    return EmbeddedPostgres.builder().start();
  }

  /** The {@code postgres} database of the embedded server. */
  @Bean
  DataSource dataSource(EmbeddedPostgres postgres) {
    return postgres.getPostgresDatabase();
  }
}
