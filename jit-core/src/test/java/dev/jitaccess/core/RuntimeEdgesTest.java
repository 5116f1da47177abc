package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Decision;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.GrantStatus;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Edges of the check, delegation, renewal and lineage that no other test reaches. */
class RuntimeEdgesTest {
  final Fixture f = new Fixture();

  /** A policy that approves and counts how often it was asked. */
  static final class CountingPolicy implements AccessPolicy {
    final AtomicInteger asked = new AtomicInteger();

    @Override
    public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
      asked.incrementAndGet();
      return PolicyDecision.approve();
    }

    @Override
    public PolicyDecision onRenewal(Grant grant, Duration extension) {
      asked.incrementAndGet();
      return PolicyDecision.approve();
    }
  }

  /** Answers the instants queued, then the last one for ever. */
  static final class ScriptedClock extends Clock {
    final Deque<Instant> script = new ArrayDeque<>();
    Instant last;

    ScriptedClock(Instant start) {
      last = start;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      Instant next = script.poll();
      if (next != null) {
        last = next;
      }
      return last;
    }
  }

  Grant insertedGrant(long bits, @Nullable String parentId, Instant expiresAt,
      OptionalLong budget) {
    Instant now = f.clock.instant();
    Grant grant = Grant.builder().id(LiveGrantsTest.canonical(bits, bits)).subject("s")
        .owner("o").task("t").purpose("p").scope(Scope.parse("read:a")).issuedAt(now)
        .expiresAt(expiresAt).notAfter(expiresAt).parentId(parentId).useBudget(budget).build();
    f.store.insert(grant);
    return grant;
  }

  @Test
  void theCheckNeverHandsTheStoreAnIdLongerThan1024Characters() {
    AtomicInteger longest = new AtomicInteger();
    Fixture watched = new Fixture(b -> b.store(new ForwardingGrantStore(
        InMemoryGrantStore.create()) {
      @Override
      public @Nullable Grant get(String id) {
        longest.accumulateAndGet(id.length(), Math::max);
        return super.get(id);
      }
    }));
    assertEquals(DenyReason.UNKNOWN_GRANT,
        watched.jit.check("A".repeat(1025), "read", "a").reason());
    assertEquals(0, longest.get());
    watched.jit.check("A".repeat(1024), "read", "a");
    assertEquals(1024, longest.get(), "an id of 1,024 characters is looked up");
  }

  @Test
  void aCheckWhoseClockMovesBackIntoTheWindowBetweenReadingsDecidesAgain() {
    Grant grant = f.grant();
    ScriptedClock clock = new ScriptedClock(f.clock.instant());
    try (JitAccess jit = JitAccess.builder().clock(clock).scheduler(f.clock).store(f.store)
        .auditSink(e -> { }).build()) {
      clock.script.add(grant.expiresAt()); // the first reading: expired
      clock.script.add(f.clock.instant()); // the next: within the window again
      assertTrue(jit.check(grant.id(), "read", "orders/1").isAllowed());
    }
    f.jit.revoke(grant.id(), RevocationReason.MANUAL);
  }

  @Test
  void aCheckOnAStaleSnapshotPastItsExpiryAllowsWhenTheStoredGrantWasRenewed() {
    Grant grant = f.grant();
    Grant renewed = f.jit.renew(grant.id(), Duration.ofMinutes(20));
    AtomicReference<@Nullable Grant> stale = new AtomicReference<>();
    try (JitAccess staleReads = JitAccess.builder().clock(f.clock).scheduler(f.clock)
        .auditSink(e -> { }).store(new ForwardingGrantStore(f.store) {
          @Override
          public @Nullable Grant get(String id) {
            Grant once = stale.getAndSet(null);
            return once != null ? once : super.get(id);
          }
        }).build()) {
      f.clock.advance(Duration.ofMinutes(5)); // past the stale snapshot's expiry only
      stale.set(grant);
      assertTrue(staleReads.check(grant.id(), "read", "orders/1").isAllowed());
    }
    assertEquals(renewed.expiresAt(), f.jit.grant(grant.id()).orElseThrow().expiresAt());
    f.jit.revoke(grant.id(), RevocationReason.MANUAL);
  }

  @Test
  void theLastUseOfAGrantMintedElsewhereIsCountedInItsTerminalEvent() {
    Fixture counting = new Fixture(b -> b.allowedChecks(AllowedCheckAudit.COUNT));
    Instant now = counting.clock.instant();
    Grant once = Grant.builder().id(LiveGrantsTest.canonical(3, 3)).subject("s").owner("o")
        .task("t").purpose("p").scope(Scope.parse("read:a")).issuedAt(now)
        .expiresAt(now.plusSeconds(60)).notAfter(now.plusSeconds(60))
        .useBudget(OptionalLong.of(1)).build();
    counting.store.insert(once);
    assertTrue(counting.jit.check(once.id(), "read", "a").isAllowed());
    AuditEvent exhausted = counting.audit.get(counting.audit.size() - 1);
    assertEquals(AuditEventType.EXHAUSTED, exhausted.type());
    assertEquals("allowedChecks=1", exhausted.detail());
  }

  @Test
  void aDelegationBeyondTheLimitsIsRefusedNamingTheLimit() {
    Fixture limited = new Fixture(b -> b.maxLifetime(Duration.ofMinutes(10)));
    Grant parent = limited.grant();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> limited.jit.delegate(parent.id(), DelegationRequest.builder().subject("agent")
            .scope(Scope.parse("read:orders/1")).ttl(Ttl.of(Duration.ofMinutes(11))).build()));
    assertTrue(e.getMessage().startsWith("ttl.lifetime must be <= maxLifetime"), e.getMessage());
    limited.jit.revoke(parent.id(), RevocationReason.MANUAL);
  }

  @Test
  void aChildOfABudgetedParentMustLeaveTheParentAUse() {
    Grant parent = f.jit.request(Fixture.request().useBudget(5).build());
    assertThrows(IllegalArgumentException.class, () -> f.jit.delegate(parent.id(),
        DelegationRequest.builder().subject("agent").scope(Scope.parse("read:orders/1"))
            .ttl(Ttl.of(Duration.ofMinutes(1))).useBudget(5).build()));
    Grant child = f.jit.delegate(parent.id(), DelegationRequest.builder().subject("agent")
        .scope(Scope.parse("read:orders/1")).ttl(Ttl.of(Duration.ofMinutes(1))).useBudget(4)
        .build());
    assertEquals(OptionalLong.of(1), f.jit.grant(parent.id()).orElseThrow().usesRemaining());
    assertEquals(OptionalLong.of(4), child.useBudget());
    f.jit.revoke(parent.id(), RevocationReason.MANUAL);
  }

  @Test
  void anEndedTaskIsRefusedBeforeThePolicyIsAsked() {
    CountingPolicy policy = new CountingPolicy();
    Fixture counted = new Fixture(b -> b.policy(policy));
    Grant other = counted.jit.request(Fixture.request().task("other").build());
    counted.jit.revokeTask("task-1", RevocationReason.MANUAL);
    int before = policy.asked.get();
    assertThrows(GrantDeniedException.class, counted::grant);
    assertThrows(GrantDeniedException.class, () -> counted.jit.delegate(other.id(),
        DelegationRequest.builder().subject("agent").task("task-1")
            .scope(Scope.parse("read:orders/1")).ttl(Ttl.of(Duration.ofMinutes(1))).build()));
    assertEquals(before, policy.asked.get(), "the policy is not asked for an ended task");
    counted.jit.revoke(other.id(), RevocationReason.MANUAL);
  }

  @Test
  void anUnusableGrantIsRefusedRenewalBeforeThePolicyIsAsked() {
    CountingPolicy policy = new CountingPolicy();
    Fixture counted = new Fixture(b -> b.policy(policy));
    Grant grant = counted.grant();
    counted.jit.revoke(grant.id(), RevocationReason.MANUAL);
    int before = policy.asked.get();
    assertThrows(GrantStateException.class,
        () -> counted.jit.renew(grant.id(), Duration.ofMinutes(1)));
    assertEquals(before, policy.asked.get());
  }

  @Test
  void aRenewalPastTheParentsExpirySaysSo() {
    Grant parent = f.grant();
    Grant child = f.jit.delegate(parent.id(), Scope.parse("read:orders/*"),
        Duration.ofMinutes(5), "agent");
    GrantDeniedException e = assertThrows(GrantDeniedException.class,
        () -> f.jit.renew(child.id(), Duration.ofMinutes(10)));
    assertEquals("HARD_CAP_REACHED", e.reason());
    assertTrue(e.getMessage().contains("past its parent's expiry"), e.getMessage());
    f.jit.revoke(parent.id(), RevocationReason.MANUAL);
  }

  @Test
  void aRenewalRefusedForAnEndedAncestorNamesIt() {
    Grant parent = f.grant();
    Grant child = f.jit.delegate(parent.id(), Scope.parse("read:orders/*"),
        Duration.ofMinutes(4), "agent");
    java.util.List<Runnable> later = new java.util.ArrayList<>();
    Fixture lazy = new Fixture(b -> b.store(f.store).cascadeExecutor(later::add));
    lazy.jit.revoke(parent.id(), RevocationReason.ANOMALY);
    GrantStateException e = assertThrows(GrantStateException.class,
        () -> lazy.jit.renew(child.id(), Duration.ofMinutes(1)));
    assertTrue(e.getMessage().contains(": ancestor " + parent.reference() + " is REVOKED"),
        e.getMessage());
    later.forEach(Runnable::run);
  }

  @Test
  void aGrantWhoseParentExpiredDeniesAsExpired() {
    Grant parent = insertedGrant(11, null, f.clock.instant().plusSeconds(60),
        OptionalLong.empty());
    Grant child = insertedGrant(12, parent.id(), f.clock.instant().plusSeconds(600),
        OptionalLong.empty());
    f.clock.advance(Duration.ofSeconds(60));
    assertEquals(DenyReason.EXPIRED, f.jit.check(child.id(), "read", "a").reason());
    GrantStatus status = f.jit.status(child.id());
    assertEquals(DenyReason.EXPIRED, status.denial().orElseThrow());
    assertEquals(GrantState.EXPIRED, status.state().orElseThrow());
  }

  @Test
  void statusRefusesAChainDeeperThanTheLimitAndSaysWhy() {
    Fixture shallow = new Fixture(b -> b.maxDelegationDepth(1));
    Instant end = shallow.clock.instant().plusSeconds(60);
    Grant root = Grant.builder().id(LiveGrantsTest.canonical(21, 21)).subject("s").owner("o")
        .task("t").purpose("p").scope(Scope.parse("read:a")).issuedAt(shallow.clock.instant())
        .expiresAt(end).notAfter(end).build();
    Grant child = root.toBuilder().id(LiveGrantsTest.canonical(22, 22)).parentId(root.id())
        .build();
    Grant grandchild = root.toBuilder().id(LiveGrantsTest.canonical(23, 23))
        .parentId(child.id()).build();
    shallow.store.insert(root);
    shallow.store.insert(child);
    shallow.store.insert(grandchild);
    assertTrue(shallow.jit.status(child.id()).isUsable(), "one ancestor: at the limit");
    GrantStatus deep = shallow.jit.status(grandchild.id());
    assertFalse(deep.isUsable());
    assertEquals(DenyReason.REVOKED, deep.denial().orElseThrow());
    assertEquals("the delegation chain is deeper than maxDelegationDepth 1",
        deep.detail().orElseThrow());
    Grant orphan = root.toBuilder().id(LiveGrantsTest.canonical(24, 24))
        .parentId(LiveGrantsTest.canonical(25, 25)).build();
    shallow.store.insert(orphan);
    assertEquals("an ancestor grant is gone",
        shallow.jit.status(orphan.id()).detail().orElseThrow());
  }

  @Test
  void aRuntimeStartedOnAStoreArmsATimerForEveryActiveGrantInIt() {
    for (int i = 0; i < Expirer.PAGE + 5; i++) {
      f.jit.request(Fixture.request().task("t" + i).build());
    }
    f.jit.close();
    try (JitAccess second = JitAccess.builder().clock(f.clock).scheduler(f.clock).store(f.store)
        .auditSink(e -> { }).build()) {
      assertEquals(Expirer.PAGE + 5, ((DefaultJitAccess) second).pendingTimers());
      f.clock.advance(Duration.ofMinutes(5));
      assertEquals(0, f.store.findActiveByExpiry(null, 10).size());
    }
  }

  @Test
  void sharedNamesAreCounted() {
    f.jit.request(Fixture.request().task("named").build());
    assertEquals(2, ((DefaultJitAccess) f.jit).sharedNameCount(), "the subject and the owner");
    Decision denied = f.jit.check("unknown", "read", "a");
    assertEquals(DenyReason.UNKNOWN_GRANT, denied.reason());
    f.jit.revokeTask("named", RevocationReason.MANUAL);
  }

  /** A policy that runs {@code during} while it is asked about a delegation. */
  static AccessPolicy during(Runnable during) {
    return new AccessPolicy() {
      @Override
      public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
        if (parent != null) {
          during.run();
        }
        return PolicyDecision.approve();
      }

      @Override
      public PolicyDecision onRenewal(Grant grant, Duration extension) {
        return PolicyDecision.approve();
      }
    };
  }

  static DelegationRequest child(long budget) {
    DelegationRequest.Builder b = DelegationRequest.builder().subject("agent")
        .scope(Scope.parse("read:orders/1")).ttl(Ttl.of(Duration.ofMinutes(1)));
    return budget > 0 ? b.useBudget(budget).build() : b.build();
  }

  @Test
  void aChildBudgetTooLargeIsRefusedBeforeThePolicyIsAsked() {
    CountingPolicy policy = new CountingPolicy();
    Fixture counted = new Fixture(b -> b.policy(policy));
    Grant parent = counted.jit.request(Fixture.request().useBudget(3).build());
    int before = policy.asked.get();
    assertThrows(IllegalArgumentException.class, () -> counted.jit.delegate(parent.id(), child(3)));
    assertEquals(before, policy.asked.get());
    counted.jit.revoke(parent.id(), RevocationReason.MANUAL);
  }

  @Test
  void usesSpentWhileThePolicyDecidesAreNotMovedTwice() {
    AtomicReference<JitAccess> jit = new AtomicReference<>();
    AtomicReference<String> parentId = new AtomicReference<>();
    Fixture racing = new Fixture(b -> b.policy(during(() -> {
      jit.get().check(parentId.get(), "read", "orders/1");
      jit.get().check(parentId.get(), "read", "orders/2");
    })));
    jit.set(racing.jit);
    Grant parent = racing.jit.request(Fixture.request().useBudget(5).build());
    parentId.set(parent.id());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> racing.jit.delegate(parent.id(), child(3)));
    assertEquals("useBudget must be < the parent's remaining 3 uses, was 3", e.getMessage());
    assertEquals(OptionalLong.of(3), racing.jit.grant(parent.id()).orElseThrow().usesRemaining());
    racing.jit.revoke(parent.id(), RevocationReason.MANUAL);
  }

  @Test
  void aParentRevokedWhileThePolicyDecidesEndsTheChildAndTheDelegationFails() {
    AtomicReference<JitAccess> jit = new AtomicReference<>();
    AtomicReference<String> parentId = new AtomicReference<>();
    Fixture racing = new Fixture(b -> b.policy(during(
        () -> jit.get().revoke(parentId.get(), RevocationReason.ANOMALY))));
    jit.set(racing.jit);
    Grant parent = racing.grant();
    parentId.set(parent.id());
    GrantStateException e = assertThrows(GrantStateException.class,
        () -> racing.jit.delegate(parent.id(), child(0)));
    assertEquals(GrantState.REVOKED, e.state());
    for (Grant grant : racing.store.grants()) {
      assertFalse(grant.isActive(), "no child is left ACTIVE");
    }
  }

  @Test
  void anAncestorRevokedWhileThePolicyDecidesStopsTheMoveOfUses() {
    java.util.List<Runnable> later = new java.util.ArrayList<>();
    AtomicReference<JitAccess> jit = new AtomicReference<>();
    AtomicReference<String> rootId = new AtomicReference<>();
    Fixture racing = new Fixture(b -> b.cascadeExecutor(later::add).policy(during(() -> {
      if (rootId.get() != null) {
        jit.get().revoke(rootId.get(), RevocationReason.ANOMALY);
      }
    })));
    jit.set(racing.jit);
    Grant root = racing.jit.request(Fixture.request().useBudget(10).build());
    Grant parent = racing.jit.delegate(root.id(), child(5));
    rootId.set(root.id());
    assertThrows(GrantStateException.class, () -> racing.jit.delegate(parent.id(), child(2)));
    assertEquals(OptionalLong.of(5), racing.jit.grant(parent.id()).orElseThrow().usesRemaining(),
        "no use moved out of a parent whose root ended");
    assertEquals(1, racing.audit.stream().filter(e -> e.type() == AuditEventType.DELEGATED)
        .count());
    later.forEach(Runnable::run);
  }

  @Test
  void aParentThatVanishesWhileThePolicyDecidesIsUnknownOrEnded() {
    AtomicReference<String> vanished = new AtomicReference<>();
    AtomicReference<Boolean> gone = new AtomicReference<>(false);
    Fixture racing = new Fixture(b -> b.policy(during(() -> gone.set(true)))
        .store(new ForwardingGrantStore(f.store) {
          @Override
          public @Nullable Grant get(String id) {
            return gone.get() && id.equals(vanished.get()) ? null : super.get(id);
          }

          @Override
          public boolean compareAndSet(Grant expected, Grant replacement) {
            return !(gone.get() && expected.id().equals(vanished.get()))
                && super.compareAndSet(expected, replacement);
          }
        }));
    Grant budgeted = racing.jit.request(Fixture.request().useBudget(5).build());
    vanished.set(budgeted.id());
    dev.jitaccess.UnknownGrantException unknown = assertThrows(
        dev.jitaccess.UnknownGrantException.class,
        () -> racing.jit.delegate(budgeted.id(), child(2)));
    assertTrue(unknown.getMessage().startsWith("parentId must name a known grant"));
    gone.set(false);
    Grant plain = racing.jit.request(Fixture.request().task("plain").build());
    vanished.set(plain.id());
    GrantStateException ended = assertThrows(GrantStateException.class,
        () -> racing.jit.delegate(plain.id(), child(0)));
    assertEquals(GrantState.REVOKED, ended.state());
  }
}
