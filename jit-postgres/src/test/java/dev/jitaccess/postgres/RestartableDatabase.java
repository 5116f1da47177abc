package dev.jitaccess.postgres;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

/**
 * A PostgreSQL server of its own that a test stops and starts again on the same data directory
 * and port, as a database restart or failover would look to the application.
 */
final class RestartableDatabase implements AutoCloseable {
  private final Path dataDirectory;
  private int port;
  private EmbeddedPostgres server;

  RestartableDatabase() {
    try {
      dataDirectory = Files.createTempDirectory("jit-postgres-restart");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    start();
  }

  void start() {
    EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder().setLocaleConfig("locale", "C")
        .setDataDirectory(dataDirectory).setCleanDataDirectory(false);
    if (port > 0) {
      builder.setPort(port);
    }
    try {
      server = builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    port = server.getPort();
  }

  void stop() {
    try {
      server.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A data source on the server's port, which outlives the restarts (the port stays). */
  DataSource dataSource() {
    return server.getPostgresDatabase();
  }

  @Override
  public void close() {
    stop();
  }
}
