package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.DenyReason;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The same deploy with a temporary role and with a task-scoped permission. */
class PermissionsNotUsersScenarioTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final PermissionsNotUsersScenario.Outcome outcome = new PermissionsNotUsersScenario(
      new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

  @Test
  void theTemporaryRoleLeavesItsMembershipTokenAndCacheBehindAfterTheTask() {
    TemporaryRoles.Membership left = outcome.membershipAfterTask().orElseThrow();
    assertEquals(PermissionsNotUsersScenario.START.plus(Duration.ofHours(8)), left.expiresAt());
    assertTrue(outcome.roleReplayAfterTask(), "the leaked token still works after the task");
    assertTrue(outcome.cacheLeftAfterTask().compareTo(Duration.ZERO) > 0);
    assertEquals(Set.of(PermissionsNotUsersScenario.ROLE), outcome.freshSignInRoles());
    assertTrue(outcome.roleReplayAfterRemoval(),
        "removing the membership does not reach a token already issued");
    assertFalse(outcome.roleReplayAtTokenExpiry(), "only the token's own expiry ends it");
  }

  @Test
  void theTaskScopedPermissionEndsWithTheTaskAndLeavesNothing() {
    assertEquals(GrantState.REVOKED, outcome.grantAfterTask().state());
    assertEquals(RevocationReason.TASK_COMPLETED, outcome.grantAfterTask().endReason());
    assertEquals(PermissionsNotUsersScenario.TASK_END, outcome.grantAfterTask().endedAt());
    assertEquals(DenyReason.REVOKED, outcome.jitReplay().reason());
    assertNull(outcome.jitCached(), "the decision cache holds no allow for an ended grant");
    assertEquals(0, outcome.liveGrantsAfterTask());
    assertEquals("TASK_ENDED", outcome.newRequestRefusal());
    assertEquals(1, outcome.anomalies().size());
    assertEquals("check-after-task-end", outcome.anomalies().get(0).detector());
    assertEquals("team-payments", outcome.anomalies().get(0).owner());
  }

  @Test
  void theSideBySideTableShowsBothAfterTheTask() {
    String all = printed.toString(StandardCharsets.UTF_8);
    assertTrue(all.contains("replayed credential  | ALLOW, until 11:00"), all);
    assertTrue(all.contains("| DENY(REVOKED), owner told"), all);
    assertTrue(all.contains("| 0 grants"), all);
  }
}
