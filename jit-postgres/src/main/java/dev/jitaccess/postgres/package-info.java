/**
 * A {@link dev.jitaccess.spi.GrantStore} on PostgreSQL: its schema ({@link
 * dev.jitaccess.postgres.PostgresSchema}).
 */
package dev.jitaccess.postgres;
