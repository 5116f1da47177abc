/**
 * A grant store on PostgreSQL, shared by every replica of an application: {@link
 * dev.jitaccess.postgres.PostgresGrantStore} on the application's {@link javax.sql.DataSource},
 * the change log replicas follow ({@link dev.jitaccess.postgres.GrantChangeLog}), and the schema
 * as versioned SQL ({@link dev.jitaccess.postgres.PostgresSchema}). Needs a JDBC driver for
 * PostgreSQL 13 or later; its followers use pgjdbc's notifications.
 */
@SuppressWarnings("requires-automatic") // pgjdbc is an automatic module
module dev.jitaccess.postgres {
  requires transitive dev.jitaccess;
  requires transitive java.sql;
  requires org.postgresql.jdbc;
  requires static transitive org.jspecify;
  // Only the governance stores (PostgresGovernanceStore, PostgresBundleStore,
  // PostgresRecertificationStore) need it (optional in the pom), and whoever uses them has it;
  // transitive, as their API names its types.
  requires static transitive dev.jitaccess.governance;
  // Only PostgresTeardownLedger needs it (optional in the pom), and whoever uses it has it;
  // transitive, as its API names TeardownLedger and TeardownEntry.
  requires static transitive dev.jitaccess.teardown;

  exports dev.jitaccess.postgres;
}
