package dev.jitaccess.postgres;

import dev.jitaccess.RevocationReason;
import dev.jitaccess.testkit.time.FakeClock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * A replica in a JVM of its own, for {@link ReplicaKilledMidCascadeTest}: a runtime on a {@link
 * PostgresGrantStore} against the test's PostgreSQL, which revokes the root of a delegation tree
 * and so runs its cascade, until the test kills the JVM. Its connections carry the application
 * name {@value #APPLICATION_NAME}, so that the test can tell when the server has closed them.
 *
 * <p>Arguments: the server's port, the schema, the root's id. Exits 0 if the revocation returned
 * (the cascade finished before the kill), 2 if it failed.
 */
public final class DoomedReplicaMain {
  static final String APPLICATION_NAME = "jit-doomed-replica";

  private DoomedReplicaMain() {}

  public static void main(String[] args) {
    String url = "jdbc:postgresql://localhost:" + Integer.parseInt(args[0]) + "/postgres";
    Properties properties = new Properties();
    properties.setProperty("user", "postgres");
    properties.setProperty("ApplicationName", APPLICATION_NAME);
    DataSource server = new AbstractDataSource() {
      @Override
      public Connection getConnection() throws SQLException {
        return DriverManager.getConnection(url, properties);
      }
    };
    // The test's clock starts at the same instant: the tree's grants are live on both.
    FakeClock clock = new FakeClock();
    try (Replica replica = new Replica(new TestPool(server, true), args[1], clock,
        Consistency.STRICT, Duration.ofMillis(250))) {
      replica.jit.revoke(args[2], RevocationReason.ANOMALY);
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(2);
    }
    System.exit(0);
  }
}
