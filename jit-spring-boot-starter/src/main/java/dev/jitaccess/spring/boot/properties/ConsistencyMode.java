package dev.jitaccess.spring.boot.properties;

/** How a PostgreSQL grant store reads ({@code jit.store.postgres.consistency}). */
public enum ConsistencyMode {
  /** Every read goes to the database. */
  STRICT,
  /** Reads come from a local copy a follower keeps within {@code max-lag} of the database. */
  CACHED
}
