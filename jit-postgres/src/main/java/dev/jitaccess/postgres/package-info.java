/**
 * A {@link dev.jitaccess.spi.GrantStore} on PostgreSQL: {@link
 * dev.jitaccess.postgres.PostgresGrantStore}, its change log ({@link
 * dev.jitaccess.postgres.GrantChangeLog}) and its schema ({@link
 * dev.jitaccess.postgres.PostgresSchema}).
 */
package dev.jitaccess.postgres;
