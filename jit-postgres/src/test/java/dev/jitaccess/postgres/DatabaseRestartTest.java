package dev.jitaccess.postgres;

import static dev.jitaccess.postgres.Replica.awaitUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The database stopped and started again under three runtimes: checks fail closed while it is
 * down, mutations throw, and afterwards the followers catch up and lose no revocation.
 */
class DatabaseRestartTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final Set<DenyReason> CLOSED =
      Set.of(DenyReason.BACKEND_FAILURE, DenyReason.STALE_VIEW);

  @Test
  void whileTheDatabaseIsDownChecksFailClosedAndAfterItRestartsNoRevocationIsLost() {
    FakeClock clock = new FakeClock();
    try (RestartableDatabase database = new RestartableDatabase()) {
      DataSource dataSource = database.dataSource();
      PostgresSchema.apply(dataSource, "jit_access");
      Duration maxLag = Duration.ofMillis(250);
      try (Replica a = new Replica(dataSource, "jit_access", clock, Consistency.STRICT, maxLag);
          Replica b = new Replica(dataSource, "jit_access", clock, Consistency.CACHED, maxLag);
          Replica c = new Replica(dataSource, "jit_access", clock, Consistency.STRICT, maxLag)) {
        Grant first = a.mint(Duration.ofMinutes(5));
        Grant second = a.mint(Duration.ofMinutes(5));
        awaitUntil(() -> b.check(second).isAllowed() && c.check(second).isAllowed(), PATIENCE,
            "allowed on B and C");

        assertTrue(a.jit.revoke(first.id(), RevocationReason.ANOMALY));
        database.stop(); // perhaps before B and C read the revocation

        awaitUntil(() -> !b.check(second).isAllowed() && !c.check(second).isAllowed(), PATIENCE,
            "B and C fail closed");
        for (Replica replica : List.of(b, c)) {
          for (Grant grant : List.of(first, second)) {
            Decision decision = replica.check(grant);
            assertTrue(CLOSED.contains(decision.reason()), String.valueOf(decision.reason()));
          }
        }
        assertThrows(RuntimeException.class,
            () -> a.jit.revoke(second.id(), RevocationReason.MANUAL));

        database.start();
        awaitUntil(() -> b.check(second).isAllowed() && c.check(second).isAllowed(), PATIENCE,
            "B and C answer again once the database is back");
        assertEquals(DenyReason.REVOKED, b.check(first).reason());
        assertEquals(DenyReason.REVOKED, c.check(first).reason());

        awaitUntil(() -> tryRevoke(a, second), PATIENCE, "A revokes again");
        List<String> expected = List.of(first.reference() + " " + RevocationReason.ANOMALY,
            second.reference() + " " + RevocationReason.MANUAL);
        for (Replica replica : List.of(b, c)) {
          awaitUntil(() -> replica.heard().size() >= 2, PATIENCE, "both revocations heard");
          assertEquals(expected, replica.heard());
        }
        awaitUntil(() -> b.check(second).reason() == DenyReason.REVOKED, PATIENCE,
            "the revocation after the restart is denied on B");
      }
    }
  }

  /** Revokes, false if the database (its pool's first connection, say) still fails. */
  private static boolean tryRevoke(Replica replica, Grant grant) {
    try {
      return replica.jit.revoke(grant.id(), RevocationReason.MANUAL);
    } catch (RuntimeException stillDown) {
      return false;
    }
  }
}
