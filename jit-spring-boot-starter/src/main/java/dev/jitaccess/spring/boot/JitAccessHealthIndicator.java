package dev.jitaccess.spring.boot;

import dev.jitaccess.spi.GrantStore;
import dev.jitaccess.spi.SharedGrantStore;
import dev.jitaccess.spi.StaleViewException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The {@code jitaccess} health: UP when the grant store answers a lookup, which for a PostgreSQL
 * store reads the database and, for a {@code CACHED} one that a runtime follows, first proves its
 * follower connected and its view within {@code max-lag}. DOWN otherwise, with a fixed detail
 * ({@code unreachable}, or {@code stale} for a follower that is disconnected or behind) that
 * reveals no grant, id, query or error text; the failure's class is logged at WARN. Thread-safe.
 */
public class JitAccessHealthIndicator implements HealthIndicator {
  /** A well-formed id that names no grant: the lookup proves the store answers, not a grant. */
  static final String PROBE_ID = "jit-health-probe";
  private static final Logger LOG = LoggerFactory.getLogger(JitAccessHealthIndicator.class);

  private final GrantStore store;

  JitAccessHealthIndicator(GrantStore store) {
    this.store = store;
  }

  @Override
  public Health health() {
    Health.Builder health;
    try {
      store.get(PROBE_ID);
      health = Health.up();
    } catch (StaleViewException e) {
      LOG.warn("jitaccess health DOWN: the grant store's view is stale");
      return Health.down().withDetail("store", "stale").build();
    } catch (RuntimeException e) {
      LOG.warn("jitaccess health DOWN: the grant store failed ({})", e.getClass().getName());
      return Health.down().withDetail("store", "unreachable").build();
    }
    health.withDetail("store", "reachable")
        .withDetail("shared", store instanceof SharedGrantStore);
    return health.build();
  }
}
