/**
 * A grant store on PostgreSQL, shared by every replica of an application: {@link
 * dev.jitaccess.postgres.PostgresGrantStore} on the application's {@link javax.sql.DataSource},
 * the change log replicas follow ({@link dev.jitaccess.postgres.GrantChangeLog}), and the schema
 * as versioned SQL ({@link dev.jitaccess.postgres.PostgresSchema}). Needs a JDBC driver for
 * PostgreSQL 13 or later at run time.
 */
module dev.jitaccess.postgres {
  requires transitive dev.jitaccess;
  requires transitive java.sql;
  requires static transitive org.jspecify;

  exports dev.jitaccess.postgres;
}
