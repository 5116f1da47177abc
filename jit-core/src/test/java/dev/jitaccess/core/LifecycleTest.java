package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEventType;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.UnknownGrantException;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LifecycleTest {
  final Fixture f = new Fixture();

  @Nested
  class Renewal {
    @Test
    void renewalExtendsFromNow() {
      Grant grant = f.grant();
      f.clock.advance(Duration.ofMinutes(4));
      Grant renewed = f.jit.renew(grant.id(), Duration.ofMinutes(5));
      assertEquals(f.clock.instant().plus(Duration.ofMinutes(5)), renewed.expiresAt());
      assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.RENEWED), f.eventsFor(grant.id()));
      f.clock.advance(Duration.ofMinutes(4));
      assertTrue(f.jit.check(grant.id(), "read", "orders/1").isAllowed());
    }

    @Test
    void renewalNeverPassesTheHardCap() {
      Grant grant = f.grant(); // lifetime 5 min, cap 30 min
      for (int i = 0; i < 7; i++) {
        f.clock.advance(Duration.ofMinutes(4));
        f.jit.renew(grant.id(), Duration.ofMinutes(5));
      }
      Grant capped = f.jit.grant(grant.id()).orElseThrow();
      assertEquals(grant.notAfter(), capped.expiresAt());
      f.clock.setTo(grant.notAfter().minusSeconds(1));
      GrantDeniedException e = assertThrows(GrantDeniedException.class,
          () -> f.jit.renew(grant.id(), Duration.ofMinutes(5)));
      assertEquals("HARD_CAP_REACHED", e.reason());
      f.clock.setTo(grant.notAfter());
      assertEquals(DenyReason.EXPIRED, f.jit.check(grant.id(), "read", "orders/1").reason());
    }

    @Test
    void renewalNeverShortensAGrant() {
      Grant grant = f.grant();
      Grant same = f.jit.renew(grant.id(), Duration.ofMinutes(1));
      assertEquals(grant.expiresAt(), same.expiresAt());
    }

    @Test
    void renewingARevokedGrantIsRejected() {
      Grant grant = f.grant();
      f.jit.revoke(grant.id(), RevocationReason.MANUAL);
      GrantStateException e = assertThrows(GrantStateException.class,
          () -> f.jit.renew(grant.id(), Duration.ofMinutes(5)));
      assertEquals(GrantState.REVOKED, e.state());
      assertTrue(e.getMessage().contains("must be ACTIVE to renew, was REVOKED"), e.getMessage());
    }

    @Test
    void renewingAnExpiredGrantIsRejected() {
      Grant grant = f.grant();
      f.clock.advance(Duration.ofMinutes(5));
      GrantStateException e = assertThrows(GrantStateException.class,
          () -> f.jit.renew(grant.id(), Duration.ofMinutes(5)));
      assertEquals(GrantState.EXPIRED, e.state());
    }

    @Test
    void renewingAnUnknownGrantIsRejected() {
      UnknownGrantException e = assertThrows(UnknownGrantException.class,
          () -> f.jit.renew("DDDDDDDDDDDDDDDDDDDDDD", Duration.ofMinutes(5)));
      assertTrue(e.getMessage().startsWith("grantId must name a known grant"), e.getMessage());
    }

    @Test
    void badExtensionsAreRejectedNamingTheRule() {
      Grant grant = f.grant();
      assertEquals("extension must be > 0, was PT0S", assertThrows(IllegalArgumentException.class,
          () -> f.jit.renew(grant.id(), Duration.ZERO)).getMessage());
      assertEquals("extension must be > 0, was PT-1M", assertThrows(
          IllegalArgumentException.class,
          () -> f.jit.renew(grant.id(), Duration.ofMinutes(-1))).getMessage());
      assertEquals("extension must be <= maxLifetime PT1H, was PT2H", assertThrows(
          IllegalArgumentException.class,
          () -> f.jit.renew(grant.id(), Duration.ofHours(2))).getMessage());
      assertThrows(IllegalArgumentException.class, () -> f.jit.renew("bad id", Duration.ofMinutes(1)));
    }

    @Test
    void thePolicyIsAskedAgainAtRenewal() {
      Fixture strict = new Fixture(b -> b.policy(new AccessPolicy() {
        @Override
        public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
          return PolicyDecision.approve();
        }

        @Override
        public PolicyDecision onRenewal(Grant grant, Duration extension) {
          return grant.task().equals("task-1")
              ? PolicyDecision.approveNarrowed(null, Duration.ofMinutes(2))
              : PolicyDecision.deny("TASK_CLOSED", "the task is closed");
        }
      }));
      Grant grant = strict.grant();
      strict.clock.advance(Duration.ofMinutes(4));
      assertEquals(strict.clock.instant().plus(Duration.ofMinutes(2)),
          strict.jit.renew(grant.id(), Duration.ofMinutes(10)).expiresAt());
      Grant other = strict.jit.request(Fixture.request().task("task-2").build());
      GrantDeniedException e = assertThrows(GrantDeniedException.class,
          () -> strict.jit.renew(other.id(), Duration.ofMinutes(10)));
      assertEquals("TASK_CLOSED", e.reason());
    }

    @Test
    void aRenewalDecidesOnTheClockAfterThePolicyAnswersSoItDoesNotReviveAnExpiredGrant() {
      Fixture[] slow = new Fixture[1];
      slow[0] = new Fixture(clock -> (task, delay) -> () -> { }, b -> b // timers never run
          .policy(new AccessPolicy() {
            @Override
            public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
              return PolicyDecision.approve();
            }

            @Override
            public PolicyDecision onRenewal(Grant grant, Duration extension) {
              slow[0].clock.advance(Duration.ofSeconds(2)); // a remote policy taking 2 s
              return PolicyDecision.approve();
            }
          }));
      Fixture late = slow[0];
      Grant grant = late.grant(); // 5 minutes
      late.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
      GrantStateException e = assertThrows(GrantStateException.class,
          () -> late.jit.renew(grant.id(), Duration.ofMinutes(5)));
      assertEquals(GrantState.EXPIRED, e.state());
      assertEquals(DenyReason.EXPIRED, late.jit.check(grant.id(), "read", "orders/1").reason());
      assertEquals(grant.expiresAt(), late.jit.grant(grant.id()).orElseThrow().expiresAt());
    }

    @Test
    void aCheckThatSawTheGrantExpiredIsNeverFollowedByOneThatAllowsIt() {
      // The renewal reads the clock, then the grant expires and a check sees it, and only then
      // does the renewal's compare-and-set run: the timer is late, as a busy thread's can be.
      AtomicBoolean raced = new AtomicBoolean();
      Fixture[] holder = new Fixture[1];
      List<dev.jitaccess.Decision> seen = new java.util.ArrayList<>();
      holder[0] = new Fixture(clock -> (task, delay) -> () -> { }, b -> b.store(
          new ForwardingGrantStore(InMemoryGrantStore.builder().clock(b.clock)
              .scheduler(b.scheduler).build()) {
            @Override
            public boolean compareAndSet(Grant expected, Grant replacement) {
              if (replacement.expiresAt().isAfter(expected.expiresAt())
                  && raced.compareAndSet(false, true)) {
                holder[0].clock.advance(Duration.ofSeconds(2)); // past the old expiry
                seen.add(holder[0].jit.check(expected.id(), "read", "orders/1"));
              }
              return super.compareAndSet(expected, replacement);
            }
          }));
      Fixture f3 = holder[0];
      Grant grant = f3.grant(); // 5 minutes
      f3.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
      assertThrows(GrantStateException.class,
          () -> f3.jit.renew(grant.id(), Duration.ofMinutes(5)));
      assertEquals(List.of(dev.jitaccess.Decision.deny(DenyReason.EXPIRED)), seen);
      assertEquals(DenyReason.EXPIRED, f3.jit.check(grant.id(), "read", "orders/1").reason());
      assertEquals(GrantState.EXPIRED, f3.jit.grant(grant.id()).orElseThrow().state());
      assertEquals(List.of(RevocationReason.EXPIRED), f3.endReasonsFor(grant.id()));
    }

    @Test
    void aSlowRenewalOvertakenByAnotherRenewalDecidesAgainOnTheStoredGrant() {
      AtomicBoolean overtaken = new AtomicBoolean();
      Fixture[] racing = new Fixture[1];
      String[] id = new String[1];
      racing[0] = new Fixture(b -> b.policy(new AccessPolicy() {
        @Override
        public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
          return PolicyDecision.approve();
        }

        @Override
        public PolicyDecision onRenewal(Grant grant, Duration extension) {
          if (overtaken.compareAndSet(false, true)) {
            racing[0].jit.renew(id[0], Duration.ofMinutes(5)); // someone else's, fast
            racing[0].clock.advance(Duration.ofSeconds(2)); // this policy takes 2 s
          }
          return PolicyDecision.approve();
        }
      }));
      Fixture f2 = racing[0];
      Grant grant = f2.grant();
      id[0] = grant.id();
      f2.clock.advance(Duration.ofMinutes(5).minusSeconds(1));
      Grant renewed = f2.jit.renew(grant.id(), Duration.ofMinutes(10));
      assertEquals(f2.clock.instant().plus(Duration.ofMinutes(10)), renewed.expiresAt());
    }
  }

  @Nested
  class Revocation {
    @Test
    void revokedGrantDeniesTheNextCheck() {
      Grant grant = f.grant();
      assertTrue(f.jit.revoke(grant.id(), RevocationReason.ANOMALY));
      assertEquals(DenyReason.REVOKED, f.jit.check(grant.id(), "read", "orders/1").reason());
      Grant stored = f.jit.grant(grant.id()).orElseThrow();
      assertEquals(RevocationReason.ANOMALY, stored.endReason());
      assertEquals(f.clock.instant(), stored.endedAt());
    }

    @Test
    void revocationIsIdempotentAndListenersHearOfItOnce() {
      Grant grant = f.grant();
      assertTrue(f.jit.revoke(grant.id(), RevocationReason.MANUAL));
      assertFalse(f.jit.revoke(grant.id(), RevocationReason.MANUAL));
      assertFalse(f.jit.revoke(grant.id(), RevocationReason.TASK_FAILED));
      assertEquals(List.of(RevocationReason.MANUAL), f.endReasonsFor(grant.id()));
      assertEquals(List.of(AuditEventType.ISSUED, AuditEventType.REVOKED), f.eventsFor(grant.id()));
    }

    @Test
    void revokingAnUnknownGrantReturnsFalse() {
      assertFalse(f.jit.revoke("EEEEEEEEEEEEEEEEEEEEEE", RevocationReason.MANUAL));
    }

    @Test
    void revokingWithBadArgumentsIsRejectedNamingTheField() {
      Grant grant = f.grant();
      assertEquals("reason must not be null",
          assertThrows(NullPointerException.class, () -> f.jit.revoke(grant.id(), null))
              .getMessage());
      assertEquals("grantId must not be null", assertThrows(NullPointerException.class,
          () -> f.jit.revoke(null, RevocationReason.MANUAL)).getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> f.jit.revoke("A".repeat(1025), RevocationReason.MANUAL));
      assertThrows(IllegalArgumentException.class, () -> f.jit.revokeSubject(" ", RevocationReason.MANUAL));
    }

    @Test
    void revocationCascadesToEveryDescendantHoweverDeep() {
      Fixture deep = new Fixture(b -> b.maxDelegationDepth(10));
      Grant root = deep.grant();
      Grant parent = root;
      Grant[] chain = new Grant[10];
      for (int i = 0; i < chain.length; i++) {
        chain[i] = deep.jit.delegate(parent.id(), Scope.parse("read:orders/*"),
            Duration.ofMinutes(4), "agent-" + i);
        parent = chain[i];
      }
      Grant sibling = deep.jit.delegate(root.id(), Scope.parse("write:exports/x"),
          Duration.ofMinutes(1), "sibling");
      assertTrue(deep.jit.revoke(root.id(), RevocationReason.TASK_COMPLETED));
      for (Grant g : chain) {
        assertEquals(DenyReason.REVOKED, deep.jit.check(g.id(), "read", "orders/1").reason());
        assertEquals(List.of(RevocationReason.PARENT_REVOKED), deep.endReasonsFor(g.id()));
      }
      assertEquals(List.of(RevocationReason.PARENT_REVOKED), deep.endReasonsFor(sibling.id()));
      assertEquals(RevocationReason.TASK_COMPLETED, deep.ended.get(0).reason());
      assertEquals(12, deep.ended.size());
    }

    @Test
    void revokingAChildLeavesItsParentAlone() {
      Grant parent = f.grant();
      Grant child = f.jit.delegate(parent.id(), Scope.parse("read:orders/1"),
          Duration.ofMinutes(1), "agent");
      f.jit.revoke(child.id(), RevocationReason.ANOMALY);
      assertTrue(f.jit.check(parent.id(), "read", "orders/1").isAllowed());
    }

    @Test
    void aSubjectsGrantDelegatedFromAnotherOfItsGrantsIsRevokedWithTheGivenReasonAndCounted() {
      // Twenty chains root(s1) -> middle(s9) -> leaf(s1): whatever order the store lists s1's
      // grants in, every leaf is ended by this call with its reason, not by a cascade.
      List<Grant> roots = new ArrayList<>();
      List<Grant> middles = new ArrayList<>();
      List<Grant> leaves = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        Grant root = f.jit.request(Fixture.request().subject("s1").task("chain-" + i).build());
        Grant middle = f.jit.delegate(root.id(), Scope.parse("read:orders/1"),
            Duration.ofMinutes(1), "s9");
        Grant leaf = f.jit.delegate(middle.id(), Scope.parse("read:orders/1"),
            Duration.ofMinutes(1), "s1");
        roots.add(root);
        middles.add(middle);
        leaves.add(leaf);
      }
      assertEquals(40, f.jit.revokeSubject("s1", RevocationReason.ANOMALY));
      for (int i = 0; i < 20; i++) {
        assertEquals(RevocationReason.ANOMALY,
            f.jit.grant(roots.get(i).id()).orElseThrow().endReason());
        assertEquals(RevocationReason.ANOMALY,
            f.jit.grant(leaves.get(i).id()).orElseThrow().endReason());
        assertEquals(RevocationReason.PARENT_REVOKED,
            f.jit.grant(middles.get(i).id()).orElseThrow().endReason());
      }
    }

    @Test
    void everythingOfASubjectOwnerOrTaskCanBeRevoked() {
      Grant a = f.jit.request(Fixture.request().subject("s1").owner("o1").task("t1").build());
      Grant b = f.jit.request(Fixture.request().subject("s1").owner("o2").task("t2").build());
      Grant c = f.jit.request(Fixture.request().subject("s2").owner("o2").task("t3").build());
      Grant d = f.jit.request(Fixture.request().subject("s3").owner("o3").task("t3").build());
      Grant e = f.jit.request(Fixture.request().subject("s4").owner("o4").task("t4").build());
      assertEquals(2, f.jit.revokeSubject("s1", RevocationReason.MANUAL));
      assertEquals(1, f.jit.revokeOwner("o2", RevocationReason.MANUAL));
      assertEquals(1, f.jit.revokeTask("t3", RevocationReason.TASK_COMPLETED));
      assertEquals(0, f.jit.revokeTask("t3", RevocationReason.TASK_COMPLETED));
      for (Grant g : List.of(a, b, c, d)) {
        assertEquals(DenyReason.REVOKED, f.jit.check(g.id(), "read", "orders/1").reason());
      }
      assertTrue(f.jit.check(e.id(), "read", "orders/1").isAllowed());
    }

    @Test
    void aThrowingListenerNeitherStopsTheOthersNorUndoesTheRevocation() {
      AtomicInteger later = new AtomicInteger();
      Fixture noisy = new Fixture(b -> b
          .listener((grant, reason) -> {
            throw new IllegalStateException("listener bug");
          })
          .listener((grant, reason) -> later.incrementAndGet()));
      Grant grant = noisy.grant();
      assertTrue(noisy.jit.revoke(grant.id(), RevocationReason.MANUAL));
      assertEquals(1, later.get());
      assertEquals(1, noisy.ended.size());
      assertEquals(DenyReason.REVOKED, noisy.jit.check(grant.id(), "read", "orders/1").reason());
    }

    @Test
    void listenersRunAfterTheStateChangeIsRecorded() {
      AtomicInteger sawRevoked = new AtomicInteger();
      Fixture[] holder = new Fixture[1];
      holder[0] = new Fixture(b -> b.listener((grant, reason) -> {
        if (holder[0].jit.check(grant.id(), "read", "orders/1").reason() == DenyReason.REVOKED
            && holder[0].jit.grant(grant.id()).orElseThrow().state() == GrantState.REVOKED) {
          sawRevoked.incrementAndGet();
        }
      }));
      Grant grant = holder[0].grant();
      holder[0].jit.revoke(grant.id(), RevocationReason.MANUAL);
      assertEquals(1, sawRevoked.get());
    }
  }

  @Nested
  class TaskScopedHandles {
    @Test
    void closingTheHandleRevokesWithTaskCompleted() {
      Grant grant;
      try (TaskGrant task = f.jit.open(Fixture.request().build())) {
        grant = task.grant();
        task.require("read", "orders/1");
        assertTrue(task.check("read", "orders/1").isAllowed());
      }
      assertEquals(List.of(RevocationReason.TASK_COMPLETED), f.endReasonsFor(grant.id()));
      assertEquals(DenyReason.REVOKED, f.jit.check(grant.id(), "read", "orders/1").reason());
    }

    @Test
    void failingTheHandleRevokesWithTaskFailedAndCloseChangesNothing() {
      Grant grant;
      try (TaskGrant task = f.jit.open(Fixture.request().build())) {
        grant = task.grant();
        task.fail();
      }
      assertEquals(List.of(RevocationReason.TASK_FAILED), f.endReasonsFor(grant.id()));
    }

    @Test
    void runRevokesWithTaskCompletedWhenTheBodyReturns() {
      String[] id = new String[1];
      f.jit.run(Fixture.request().build(), grant -> {
        id[0] = grant.id();
        assertTrue(f.jit.check(grant.id(), "read", "orders/1").isAllowed());
      });
      assertEquals(List.of(RevocationReason.TASK_COMPLETED), f.endReasonsFor(id[0]));
    }

    @Test
    void callReturnsTheBodysResult() throws Exception {
      String result = f.jit.call(Fixture.request().build(), grant -> "done:" + grant.subject());
      assertEquals("done:ci-job-1", result);
      assertEquals(RevocationReason.TASK_COMPLETED, f.ended.get(0).reason());
    }

    @Test
    void aThrowingBodyRevokesWithTaskFailedAndItsExceptionPropagatesUnchanged() {
      IOException failure = new IOException("disk full");
      IOException thrown = assertThrows(IOException.class,
          () -> f.jit.run(Fixture.request().build(), grant -> {
            throw failure;
          }));
      assertSame(failure, thrown);
      assertEquals(0, thrown.getSuppressed().length);
      assertEquals(RevocationReason.TASK_FAILED, f.ended.get(0).reason());
      IllegalStateException unchecked = new IllegalStateException("bug");
      assertSame(unchecked, assertThrows(IllegalStateException.class,
          () -> f.jit.call(Fixture.request().task("another-task").build(), grant -> {
            throw unchecked;
          })));
      assertEquals(RevocationReason.TASK_FAILED, f.ended.get(1).reason());
    }
  }

  @Nested
  class Policy {
    @Test
    void aDenyingPolicyRefusesTheRequestAndAuditsIt() {
      Fixture denying = new Fixture(b -> b.policy(new AccessPolicy() {
        @Override
        public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
          return PolicyDecision.deny("OUTSIDE_CHANGE_WINDOW", "no deploys on Friday");
        }

        @Override
        public PolicyDecision onRenewal(Grant grant, Duration extension) {
          return PolicyDecision.approve();
        }
      }));
      GrantDeniedException e = assertThrows(GrantDeniedException.class, denying::grant);
      assertEquals("OUTSIDE_CHANGE_WINDOW", e.reason());
      assertEquals(AuditEventType.DENIED, denying.audit.get(0).type());
      assertEquals("OUTSIDE_CHANGE_WINDOW", denying.audit.get(0).reason());
      assertEquals(0, denying.store.size());
    }

    @Test
    void aThrowingPolicyIsADenial() {
      Fixture throwing = new Fixture(b -> b.policy(new AccessPolicy() {
        @Override
        public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
          throw new IllegalStateException("policy engine down");
        }

        @Override
        public PolicyDecision onRenewal(Grant grant, Duration extension) {
          throw new IllegalStateException("policy engine down");
        }
      }));
      GrantDeniedException e = assertThrows(GrantDeniedException.class, throwing::grant);
      assertEquals("POLICY_FAILURE", e.reason());
      assertTrue(e.getCause() instanceof IllegalStateException);
    }

    @Test
    void aPolicyMayNarrowButNeverWiden() {
      Fixture narrowing = new Fixture(b -> b.policy(new AccessPolicy() {
        @Override
        public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
          return request.subject().equals("wide")
              ? PolicyDecision.approveNarrowed(Scope.parse("delete:everything/**"), null)
              : PolicyDecision.approveNarrowed(Scope.parse("read:orders/1"), Duration.ofMinutes(1));
        }

        @Override
        public PolicyDecision onRenewal(Grant grant, Duration extension) {
          return PolicyDecision.approve();
        }
      }));
      Grant grant = narrowing.grant();
      assertEquals(Scope.parse("read:orders/1"), grant.scope());
      assertEquals(grant.issuedAt().plus(Duration.ofMinutes(1)), grant.expiresAt());
      GrantDeniedException e = assertThrows(GrantDeniedException.class,
          () -> narrowing.jit.request(Fixture.request().subject("wide").build()));
      assertEquals("POLICY_WIDENED", e.reason());
    }
  }
}
