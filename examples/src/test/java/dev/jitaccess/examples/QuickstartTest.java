package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's quickstart does what its comments say. */
class QuickstartTest {
  private final List<String> closed = new ArrayList<>();
  private final List<String> deployedWith = new ArrayList<>();

  @Test
  void theDeployRunsWithItsGrantAndTheGrantIsRevokedWhenItCompletes() {
    try (JitAccess jit = Quickstart.start(closed::add)) {
      List<Decision> during = new ArrayList<>();
      Quickstart.deploy(jit, grantId -> {
        deployedWith.add(grantId);
        during.add(jit.check(grantId, "write", "deployments/payments"));
        during.add(jit.check(grantId, "read", "config/payments/db/pool"));
        during.add(jit.check(grantId, "write", "deployments/billing"));
        assertTrue(closed.isEmpty(), "nothing is torn down while the task runs: " + closed);
      });

      assertEquals(1, deployedWith.size());
      String id = deployedWith.get(0);
      assertTrue(during.get(0).isAllowed(), String.valueOf(during));
      assertTrue(during.get(1).isAllowed(), String.valueOf(during));
      assertEquals(DenyReason.OUT_OF_SCOPE, during.get(2).reason());

      Grant after = jit.grant(id).orElseThrow();
      assertEquals(GrantState.REVOKED, after.state());
      assertEquals(RevocationReason.TASK_COMPLETED, after.endReason());
      assertEquals(List.of(id), closed, "the listener tore down the grant's sessions once");
      Decision afterwards = jit.check(id, "write", "deployments/payments");
      assertTrue(afterwards.isDenied());
      assertEquals(DenyReason.REVOKED, afterwards.reason());
    }
  }

  @Test
  void aDeployThatThrowsEndsItsGrantAsFailedAndTheExceptionReachesTheCaller() {
    IllegalStateException boom = new IllegalStateException("rollout failed");
    try (JitAccess jit = Quickstart.start(closed::add)) {
      IllegalStateException thrown = assertThrows(IllegalStateException.class,
          () -> Quickstart.deploy(jit, grantId -> {
            deployedWith.add(grantId);
            throw boom;
          }));
      assertSame(boom, thrown);

      String id = deployedWith.get(0);
      Grant after = jit.grant(id).orElseThrow();
      assertEquals(GrantState.REVOKED, after.state());
      assertEquals(RevocationReason.TASK_FAILED, after.endReason());
      assertEquals(List.of(id), closed);
      assertEquals(DenyReason.REVOKED, jit.check(id, "write", "deployments/payments").reason());
    }
  }
}
