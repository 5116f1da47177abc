package dev.jitaccess.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The checks of what a store does as time passes: retention and expiry, which {@link GrantStoreCompatibilityKit} runs as a nested class.
 */
abstract class GrantExpiryChecks extends GrantStoreChecks {
  GrantExpiryChecks(GrantStoreCompatibilityKit kit) {
    super(kit);
  }

  @Test
  @DisplayName("a grant is kept, unchanged, until its expiry")
  void keepsAUsableGrant() {
    Grant grant = newGrant();
    store().insert(grant);
    Duration step = Duration.ofSeconds(30);
    while (clock().instant().plus(step).isBefore(grant.expiresAt())) {
      clock().advance(step);
      assertEquals(grant, store().get(grant.id()), "at " + clock().instant());
    }
  }

  @Test
  @DisplayName("an ACTIVE grant past its expiry is kept until it ends or reaches its notAfter")
  void keepsAnActiveGrantPastItsExpiry() {
    Grant grant = newGrant(); // expires in 10 minutes, notAfter in an hour
    store().insert(grant);
    clock().advance(Duration.ofMinutes(11));
    assertEquals(grant, store().get(grant.id()),
        "the runtime ends a grant at its expiry; until then the store must keep it");
    Grant expired = grant.end(GrantState.EXPIRED, RevocationReason.EXPIRED, clock().instant());
    assertTrue(store().compareAndSet(grant, expired));
    assertLatest(expired, "after it was ended");
  }

  @Test
  @DisplayName("a renewal keeps the grant until its new expiry")
  void keepsARenewedGrant() {
    Grant grant = newGrant();
    store().insert(grant);
    Grant renewed = grant.withExpiresAt(grant.notAfter());
    assertTrue(store().compareAndSet(grant, renewed));
    Duration step = Duration.ofMinutes(1);
    while (clock().instant().plus(step).isBefore(renewed.expiresAt())) {
      clock().advance(step);
      assertEquals(renewed, store().get(grant.id()), "at " + clock().instant());
    }
  }

  @Test
  @DisplayName("never returns a stale snapshot: an ended grant is the ended one or gone")
  void neverReturnsAStaleSnapshot() {
    Grant grant = newGrant();
    store().insert(grant);
    assertEquals(grant, store().get(grant.id()), "a check reads the grant before it is revoked");
    Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
    assertTrue(store().compareAndSet(grant, revoked));
    boolean gone = false;
    for (Duration step : List.of(Duration.ZERO, Duration.ofSeconds(1), Duration.ofMinutes(1),
        Duration.ofMinutes(10), Duration.ofHours(1), Duration.ofDays(1), Duration.ofDays(30))) {
      clock().advance(step);
      Grant seen = store().get(grant.id());
      if (seen == null) {
        gone = true;
      } else if (gone) {
        fail("a deleted grant came back at " + clock().instant() + ": " + seen);
      } else {
        assertEquals(revoked, seen, "at " + clock().instant());
      }
    }
  }

  @Test
  @DisplayName("an ended grant is deleted once the store's promised retention has passed")
  void deletesEndedGrantsAfterTheRetention() {
    Duration retention = retention();
    Assumptions.assumeTrue(retention != null,
        "the store promises no retention; override retention() to check it");
    Grant grant = newGrant();
    store().insert(grant);
    Grant revoked = grant.end(GrantState.REVOKED, RevocationReason.MANUAL, clock().instant());
    assertTrue(store().compareAndSet(grant, revoked));
    clock().advance(Objects.requireNonNull(retention).plusSeconds(1));
    assertNull(store().get(grant.id()), "get after the retention");
    assertFalse(ids(store().findBySubject(grant.subject())).contains(grant.id()),
        "findBySubject after the retention");
    assertNull(store().findByReference(grant.reference()), "findByReference after the retention");
  }
}
