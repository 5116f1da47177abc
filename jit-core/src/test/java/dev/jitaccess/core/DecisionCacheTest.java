package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import java.time.Duration;
import java.util.OptionalLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The runtime's decision cache: what it keeps, for how long, and what ends its entries. */
class DecisionCacheTest {
  final Fixture f = new Fixture(b -> b.allowedChecks(AllowedCheckAudit.COUNT));
  final DecisionCache cache = f.jit.decisionCache(1_000);

  long checksAudited(Grant grant) {
    return f.audit.stream().filter(e -> e.concerns(grant.id())).count();
  }

  @Test
  void anAllowedCheckIsCachedAndAHitDoesNotGoThroughTheRuntime() {
    Grant grant = f.grant();
    assertNull(cache.get(grant.id(), "read", "orders/1"));
    assertTrue(cache.check(grant.id(), "read", "orders/1").isAllowed());
    assertEquals(Decision.allow(), cache.get(grant.id(), "read", "orders/1"));
    assertTrue(cache.check(grant.id(), "read", "orders/1").isAllowed());
    assertEquals(OptionalLong.of(1), f.jit.allowedChecks(grant.id()), "one check: the miss");
    assertNull(cache.get(grant.id(), "read", "orders/2"), "keyed by resource");
    assertNull(cache.get(grant.id(), "write", "orders/1"), "keyed by action");
    assertEquals(1, cache.estimatedSize());
    f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void aDenialIsNeverCachedAndIsAuditedEveryTime() {
    Grant grant = f.grant();
    long before = checksAudited(grant);
    for (int i = 0; i < 3; i++) {
      assertEquals(DenyReason.OUT_OF_SCOPE, cache.check(grant.id(), "delete", "orders/1")
          .reason());
    }
    assertNull(cache.get(grant.id(), "delete", "orders/1"));
    assertEquals(0, cache.estimatedSize());
    assertEquals(before + 3, checksAudited(grant));
    f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void aGrantWithAUseBudgetIsNeverCachedSoEveryUseIsCounted() {
    Grant grant = f.jit.request(Fixture.request().useBudget(3).build());
    for (int i = 0; i < 3; i++) {
      assertTrue(cache.check(grant.id(), "read", "orders/1").isAllowed());
    }
    assertEquals(DenyReason.EXHAUSTED, cache.check(grant.id(), "read", "orders/1").reason());
    assertEquals(0, cache.estimatedSize());
  }

  @Test
  void revokeEndsTheEntriesOfTheGrantAndOfEveryGrantDelegatedFromIt() {
    Grant parent = f.grant();
    Grant child = f.jit.delegate(parent.id(), Scope.parse("read:orders/*"),
        Duration.ofMinutes(2), "agent");
    Grant grandchild = f.jit.delegate(child.id(), Scope.parse("read:orders/1"),
        Duration.ofMinutes(1), "sub-agent");
    Grant other = f.grant();
    for (Grant g : new Grant[] {parent, child, grandchild, other}) {
      assertTrue(cache.check(g.id(), "read", "orders/1").isAllowed());
    }
    assertEquals(4, cache.estimatedSize());

    f.jit.revoke(parent.id(), RevocationReason.MANUAL);

    for (Grant g : new Grant[] {parent, child, grandchild}) {
      assertNull(cache.get(g.id(), "read", "orders/1"));
      assertEquals(DenyReason.REVOKED, cache.check(g.id(), "read", "orders/1").reason());
    }
    assertEquals(Decision.allow(), cache.get(other.id(), "read", "orders/1"));
    assertEquals(1, cache.estimatedSize(), "the entries are removed, not only hidden");
    f.jit.revoke(other.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void theEndOfATaskAndAnExpiryEndTheirEntries() {
    Grant ofTask = f.grant();
    Grant shortLived = f.jit.request(Fixture.request().task("task-2")
        .ttl(dev.jitaccess.Ttl.of(Duration.ofMinutes(1))).build());
    cache.check(ofTask.id(), "read", "orders/1");
    cache.check(shortLived.id(), "read", "orders/1");
    f.jit.revokeTask("task-1", RevocationReason.TASK_COMPLETED);
    assertNull(cache.get(ofTask.id(), "read", "orders/1"));
    assertEquals(Decision.allow(), cache.get(shortLived.id(), "read", "orders/1"));
    f.clock.advance(Duration.ofMinutes(1));
    assertNull(cache.get(shortLived.id(), "read", "orders/1"));
  }

  @Test
  void aRenewalDoesNotExtendACachedEntryTheNextMissCachesTheRenewedGrant() {
    Grant grant = f.grant();
    cache.check(grant.id(), "read", "orders/1");
    Grant renewed = f.jit.renew(grant.id(), Duration.ofMinutes(20));
    f.clock.setTo(grant.expiresAt());
    assertNull(cache.get(grant.id(), "read", "orders/1"), "it expires with the old expiry");
    assertTrue(cache.check(grant.id(), "read", "orders/1").isAllowed());
    f.clock.setTo(renewed.expiresAt().minusNanos(1));
    assertEquals(Decision.allow(), cache.get(grant.id(), "read", "orders/1"));
    f.clock.setTo(renewed.expiresAt());
    assertNull(cache.get(grant.id(), "read", "orders/1"));
  }

  @Test
  void maxAgeEndsAnEntryBeforeItsGrant() {
    DecisionCache young = f.jit.decisionCache(100, Duration.ofSeconds(30));
    Grant grant = f.grant();
    young.check(grant.id(), "read", "orders/1");
    f.clock.advance(Duration.ofSeconds(29));
    assertEquals(Decision.allow(), young.get(grant.id(), "read", "orders/1"));
    f.clock.advance(Duration.ofSeconds(1));
    assertNull(young.get(grant.id(), "read", "orders/1"));
    f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void aCheckWithAContextIsCachedUnderItsSourceSoAnotherSourceIsJudged() {
    AnomalyDetectionTest.Detecting d =
        new AnomalyDetectionTest.Detecting(AnomalyDetectors.sourcePinning());
    DecisionCache pinned = d.f.jit.decisionCache(100);
    Grant grant = d.pinned("10.0.0.7");
    assertTrue(pinned.check(grant.id(), "read", "orders/1", AnomalyDetectionTest.HOME)
        .isAllowed());
    assertEquals(Decision.allow(),
        pinned.get(grant.id(), "read", "orders/1", AnomalyDetectionTest.HOME));
    assertNull(pinned.get(grant.id(), "read", "orders/1"), "a check without a source misses");
    assertNull(pinned.get(grant.id(), "read", "orders/1", AnomalyDetectionTest.ELSEWHERE));

    assertEquals(DenyReason.ANOMALY, pinned.check(grant.id(), "read", "orders/1",
        AnomalyDetectionTest.ELSEWHERE).reason());

    assertNull(pinned.get(grant.id(), "read", "orders/1", AnomalyDetectionTest.HOME));
    assertEquals(GrantState.REVOKED, d.state(grant));
  }

  @Test
  void theCacheIsBoundedByItsSize() {
    DecisionCache small = f.jit.decisionCache(10);
    Grant grant = f.grant();
    for (int i = 0; i < 200; i++) {
      small.check(grant.id(), "read", "orders/" + i);
    }
    small.invalidateAll();
    for (int i = 0; i < 200; i++) {
      small.check(grant.id(), "read", "orders/" + i);
    }
    ((CachedDecisions) small).cleanUp();
    assertTrue(small.estimatedSize() <= 10, "size " + small.estimatedSize());
    f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void badArgumentsMissOrDenyAndNeverThrow() {
    Grant grant = f.grant();
    assertNull(cache.get(null, "read", "orders/1"));
    assertNull(cache.get(grant.id(), null, "orders/1"));
    assertNull(cache.get(grant.id(), "read", null));
    assertNull(cache.get(grant.id(), "read", "orders/1", null));
    assertEquals(DenyReason.UNKNOWN_GRANT, cache.check(null, "read", "orders/1").reason());
    assertEquals(DenyReason.UNKNOWN_GRANT, cache.check("not an id", "read", "orders/1")
        .reason());
    assertEquals(DenyReason.MALFORMED_REQUEST, cache.check(grant.id(), null, "orders/1")
        .reason());
    assertEquals(DenyReason.MALFORMED_REQUEST,
        cache.check(grant.id(), "read", "orders/1", null).reason());
    assertEquals(0, cache.estimatedSize());
    f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
  }

  @Test
  void theSizeIsValidated() {
    assertEquals("maxSize must be in [1, 10000000], was 0", assertThrows(
        IllegalArgumentException.class, () -> f.jit.decisionCache(0)).getMessage());
    assertEquals("maxSize must be in [1, 10000000], was 10000001", assertThrows(
        IllegalArgumentException.class, () -> f.jit.decisionCache(10_000_001)).getMessage());
    assertEquals("maxAge must be > 0, was PT0S", assertThrows(IllegalArgumentException.class,
        () -> f.jit.decisionCache(10, Duration.ZERO)).getMessage());
  }

  @Nested
  class Closing {
    @Test
    void aClosedCacheMissesAndAsksTheRuntimeEveryTime() {
      Grant grant = f.grant();
      cache.check(grant.id(), "read", "orders/1");
      cache.close();
      cache.close();
      assertNull(cache.get(grant.id(), "read", "orders/1"));
      assertTrue(cache.check(grant.id(), "read", "orders/1").isAllowed());
      assertNull(cache.get(grant.id(), "read", "orders/1"));
      assertEquals(0, cache.estimatedSize());
      f.jit.revoke(grant.id(), RevocationReason.TASK_COMPLETED);
    }

    @Test
    void closingTheRuntimeClosesItsCachesWhichWouldNoLongerHearOfEnds() {
      Grant grant = f.grant();
      cache.check(grant.id(), "read", "orders/1");
      f.jit.close();
      assertNull(cache.get(grant.id(), "read", "orders/1"));
      assertTrue(cache.check(grant.id(), "read", "orders/1").isAllowed(), "checks still decide");
      assertNull(cache.get(grant.id(), "read", "orders/1"));
      DecisionCache late = f.jit.decisionCache(10);
      late.check(grant.id(), "read", "orders/1");
      assertNull(late.get(grant.id(), "read", "orders/1"));
    }
  }

  @Nested
  class WithoutExpiryTimers {
    /** A runtime whose scheduler never runs: only the cache's own expiry ends an entry. */
    final Fixture idle = new Fixture(clock -> (task, delay) -> () -> { }, b -> { });
    final DecisionCache idleCache = idle.jit.decisionCache(100);

    @Test
    void anEntryExpiresAtTheGrantsExpiryAndReadsNeverExtendIt() {
      Grant grant = idle.grant();
      assertTrue(idleCache.check(grant.id(), "read", "orders/1").isAllowed());
      for (int i = 0; i < 10; i++) {
        idle.clock.advance(Duration.ofSeconds(29));
        assertEquals(Decision.allow(), idleCache.get(grant.id(), "read", "orders/1"));
      }
      idle.clock.setTo(grant.expiresAt().minusNanos(1));
      assertEquals(Decision.allow(), idleCache.get(grant.id(), "read", "orders/1"));
      idle.clock.setTo(grant.expiresAt());
      assertNull(idleCache.get(grant.id(), "read", "orders/1"));
      assertEquals(GrantState.ACTIVE, idle.store.get(grant.id()).state(),
          "no timer ran: the cache expired the entry itself");
      assertEquals(DenyReason.EXPIRED, idleCache.check(grant.id(), "read", "orders/1").reason());
      assertEquals(1, idle.audit.stream().filter(e -> e.type() == AuditEventType.EXPIRED)
          .count());
    }
  }
}
