package dev.jitaccess.spring.boot.properties;

import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * {@code jit.store.*}: where grants are kept. With {@code postgres}, governance's stores and
 * teardown's ledger are kept in the same database and schema.
 */
public class StoreProperties {
  private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /** Where grants are kept: memory (this process only) or postgres (the application's DataSource). */
  private StoreType type = StoreType.MEMORY;

  /** How long ended grants are kept for lookups after they end (default 5m). */
  private @Nullable Duration retention;

  /** The PostgreSQL store, for type postgres. */
  @NestedConfigurationProperty
  private final Postgres postgres = new Postgres();

  /** Where grants are kept. */
  public StoreType getType() {
    return type;
  }

  /** Sets where grants are kept. */
  public void setType(StoreType type) {
    this.type = type;
  }

  /** How long ended grants are kept; null for the library's default. */
  public @Nullable Duration getRetention() {
    return retention;
  }

  /** Sets how long ended grants are kept. */
  public void setRetention(@Nullable Duration retention) {
    this.retention = retention;
  }

  /** The PostgreSQL store ({@code jit.store.postgres.*}). */
  public Postgres getPostgres() {
    return postgres;
  }

  void validate(Rules rules) {
    if (type == null) {
      rules.reject("jit.store.type", "must be one of memory, postgres");
    }
    rules.positive("jit.store.retention", retention);
    rules.positive("jit.store.postgres.max-lag", postgres.maxLag);
    if (postgres.schema == null || !SCHEMA.matcher(postgres.schema).matches()
        || postgres.schema.startsWith("pg_")) {
      rules.reject("jit.store.postgres.schema", "must match [a-z_][a-z0-9_]{0,62} and not "
          + "start with pg_, was '" + postgres.schema + "'");
    }
    if (postgres.consistency == null) {
      rules.reject("jit.store.postgres.consistency", "must be one of STRICT, CACHED");
    }
  }

  /** {@code jit.store.postgres.*}: the PostgreSQL grant store (jit-postgres). */
  public static class Postgres {
    /** The schema of the tables, a plain identifier (default jit_access). */
    private String schema = "jit_access";

    /** How reads are made: STRICT (always the database) or CACHED (a followed local copy). */
    private ConsistencyMode consistency = ConsistencyMode.CACHED;

    /** The bound on a CACHED store's staleness; past it checks deny STALE_VIEW (default 250ms). */
    private Duration maxLag = Duration.ofMillis(250);

    /** Whether the schema is created or upgraded at start (turn off when a migration tool runs the scripts). */
    private boolean applySchema = true;

    /** The schema of the tables. */
    public String getSchema() {
      return schema;
    }

    /** Sets the schema of the tables. */
    public void setSchema(String schema) {
      this.schema = schema;
    }

    /** How reads are made. */
    public ConsistencyMode getConsistency() {
      return consistency;
    }

    /** Sets how reads are made. */
    public void setConsistency(ConsistencyMode consistency) {
      this.consistency = consistency;
    }

    /** The bound on a CACHED store's staleness. */
    public Duration getMaxLag() {
      return maxLag;
    }

    /** Sets the bound on a CACHED store's staleness. */
    public void setMaxLag(Duration maxLag) {
      this.maxLag = maxLag;
    }

    /** Whether the schema is created or upgraded at start. */
    public boolean isApplySchema() {
      return applySchema;
    }

    /** Sets whether the schema is created or upgraded at start. */
    public void setApplySchema(boolean applySchema) {
      this.applySchema = applySchema;
    }
  }
}
