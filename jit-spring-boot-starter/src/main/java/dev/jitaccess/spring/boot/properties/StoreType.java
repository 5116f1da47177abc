package dev.jitaccess.spring.boot.properties;

/** Where grants are kept ({@code jit.store.type}). */
public enum StoreType {
  /** In this process only ({@code InMemoryGrantStore}): grants are lost on restart. */
  MEMORY,
  /** In PostgreSQL ({@code PostgresGrantStore}, jit-postgres) on the application's data source. */
  POSTGRES
}
