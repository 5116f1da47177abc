package dev.jitaccess.postgres;

/** How a {@link PostgresGrantStore} answers {@link PostgresGrantStore#get}. */
public enum Consistency {
  /**
   * Every read goes to the database: a check that starts after a revocation returned, on any
   * replica, sees it.
   */
  STRICT,

  /**
   * Reads are served from a local copy that the store's follower keeps current: a check that
   * starts more than {@link PostgresGrantStore.Builder#maxLag maxLag} after a revocation returned,
   * on any replica, sees it; a store that cannot prove its copy that fresh throws {@link
   * dev.jitaccess.spi.StaleViewException}. Grants with a use budget are always read from the
   * database.
   */
  CACHED
}
