package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Scope;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The comparison model behaves as the role setups it stands for do, each part on its clock. */
class TemporaryRolesTest {
  private final FakeClock clock = FakeClock.at(Instant.parse("2026-12-10T10:00:00Z"));
  private final TemporaryRoles roles = new TemporaryRoles(clock,
      Map.of("deployer", Scope.parse("write:deployments/*")), Duration.ofHours(1),
      Duration.ofMinutes(15));

  @Test
  void theMembershipEndsWhenItsTimerFiresAndNotBefore() {
    roles.assign("bot", "deployer", Duration.ofHours(8));
    clock.advance(Duration.ofHours(8).minusNanos(1));
    assertTrue(roles.membership("bot", "deployer").isPresent());
    clock.advance(Duration.ofNanos(1));
    assertTrue(roles.membership("bot", "deployer").isEmpty());
    assertEquals(Set.of(), roles.signIn("bot").roles());
  }

  @Test
  void aTokenCarriesTheRolesHeldAtSignInUntilItsExpiryWhateverHappensToTheMembership() {
    roles.assign("bot", "deployer", Duration.ofHours(8));
    TemporaryRoles.RoleToken token = roles.signIn("bot");
    assertTrue(roles.remove("bot", "deployer"));
    assertTrue(roles.allows(token, "write", "deployments/payments"));
    assertFalse(roles.allows(token, "delete", "deployments/payments"), "only the role's scope");
    clock.advance(Duration.ofHours(1));
    assertFalse(roles.allows(token, "write", "deployments/orders"));
  }

  @Test
  void aCachedAllowOutlivesTheTokenByUpToTheCacheTtl() {
    roles.assign("bot", "deployer", Duration.ofHours(8));
    TemporaryRoles.RoleToken token = roles.signIn("bot");
    clock.advance(Duration.ofMinutes(50));
    assertTrue(roles.allows(token, "write", "deployments/payments"));
    clock.advance(Duration.ofMinutes(14));
    assertTrue(roles.allows(token, "write", "deployments/payments"), "cached past the token");
    assertEquals(Duration.ofMinutes(1), roles.cachedFor("bot", "write", "deployments/payments"));
    clock.advance(Duration.ofMinutes(1));
    assertFalse(roles.allows(token, "write", "deployments/payments"));
  }

  @Test
  void anUnknownRoleIsRefusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> roles.assign("bot", "admin", Duration.ofHours(1)));
    assertTrue(e.getMessage().startsWith("role must be one of"), e.getMessage());
  }
}
