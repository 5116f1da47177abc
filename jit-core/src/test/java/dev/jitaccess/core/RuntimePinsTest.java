package dev.jitaccess.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.DenyReason;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.GrantState;
import dev.jitaccess.GrantStateException;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** Behaviour that would widen access if it regressed, each pinned by one test. */
class RuntimePinsTest {
  final Fixture f = new Fixture();

  static AccessPolicy longerThanAsked(Duration answer) {
    return new AccessPolicy() {
      @Override
      public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
        return PolicyDecision.approveNarrowed(null, answer);
      }

      @Override
      public PolicyDecision onRenewal(Grant grant, Duration extension) {
        return PolicyDecision.approveNarrowed(null, answer);
      }
    };
  }

  @Test
  void aBudgetedChildOfAnUnbudgetedParentIsHeldToItsBudget() {
    Grant parent = f.grant();
    Grant child = f.jit.delegate(parent.id(), DelegationRequest.builder().subject("agent")
        .scope(Scope.parse("read:orders/*")).ttl(Ttl.of(Duration.ofMinutes(1))).useBudget(2)
        .build());
    assertTrue(f.jit.check(child.id(), "read", "orders/1").isAllowed());
    assertTrue(f.jit.check(child.id(), "read", "orders/2").isAllowed());
    assertEquals(DenyReason.EXHAUSTED, f.jit.check(child.id(), "read", "orders/3").reason());
    assertTrue(f.jit.check(parent.id(), "read", "orders/3").isAllowed());
    f.jit.revoke(parent.id(), RevocationReason.MANUAL);
  }

  @Test
  void aPolicyAnsweringALongerLifetimeOrRenewalThanAskedIsRefused() {
    Fixture lenient = new Fixture(b -> b.policy(longerThanAsked(Duration.ofMinutes(50))));
    GrantDeniedException request = assertThrows(GrantDeniedException.class, lenient::grant);
    assertEquals("POLICY_WIDENED", request.reason());
    Fixture renewing = new Fixture(b -> b.policy(new AccessPolicy() {
      @Override
      public PolicyDecision onRequest(GrantRequest r, @Nullable Grant parent) {
        return PolicyDecision.approve();
      }

      @Override
      public PolicyDecision onRenewal(Grant grant, Duration extension) {
        return PolicyDecision.approveNarrowed(null, extension.plusMinutes(1));
      }
    }));
    Grant grant = renewing.grant();
    GrantDeniedException renewal = assertThrows(GrantDeniedException.class,
        () -> renewing.jit.renew(grant.id(), Duration.ofMinutes(2)));
    assertEquals("POLICY_WIDENED", renewal.reason());
    AuditEvent denied = renewing.audit.get(renewing.audit.size() - 1);
    assertEquals(AuditEventType.DENIED, denied.type());
    assertEquals("POLICY_WIDENED", denied.reason());
    assertTrue(denied.concerns(grant.id()), "the refused renewal's event names its grant");
    assertEquals(grant.expiresAt(), renewing.jit.grant(grant.id()).orElseThrow().expiresAt());
    renewing.jit.revoke(grant.id(), RevocationReason.MANUAL);
  }

  @Test
  void aGrantWhoseAncestorIsMissingDenies() {
    Grant orphan = Grant.builder().id(LiveGrantsTest.canonical(7, 7)).subject("s").owner("o")
        .task("t").purpose("p").scope(Scope.parse("read:a")).issuedAt(f.clock.instant())
        .expiresAt(f.clock.instant().plusSeconds(60)).notAfter(f.clock.instant().plusSeconds(60))
        .parentId(LiveGrantsTest.canonical(8, 8)).build();
    f.store.insert(orphan);
    assertEquals(DenyReason.REVOKED, f.jit.check(orphan.id(), "read", "a").reason());
    assertEquals(DenyReason.REVOKED, f.jit.status(orphan.id()).denial().orElseThrow());
  }

  @Test
  void aChainDeeperThanTheLimitDeniesAndMaxDepthZeroForbidsDelegation() {
    Fixture shallow = new Fixture(b -> b.maxDelegationDepth(1));
    Grant root = shallow.grant();
    Grant child = shallow.jit.delegate(root.id(), Scope.parse("read:orders/*"),
        Duration.ofMinutes(2), "agent");
    assertThrows(IllegalArgumentException.class, () -> shallow.jit.delegate(child.id(),
        Scope.parse("read:orders/1"), Duration.ofMinutes(1), "deeper"));
    Grant deep = Grant.builder().id(LiveGrantsTest.canonical(9, 9)).subject("s").owner("o")
        .task("t").purpose("p").scope(Scope.parse("read:orders/1"))
        .issuedAt(shallow.clock.instant()).expiresAt(shallow.clock.instant().plusSeconds(60))
        .notAfter(shallow.clock.instant().plusSeconds(60)).parentId(child.id()).build();
    shallow.store.insert(deep); // inserted past the runtime: two ancestors, the limit is one
    assertEquals(DenyReason.REVOKED, shallow.jit.check(deep.id(), "read", "orders/1").reason());
    Fixture none = new Fixture(b -> b.maxDelegationDepth(0));
    Grant top = none.grant();
    assertThrows(IllegalArgumentException.class, () -> none.jit.delegate(top.id(),
        Scope.parse("read:orders/1"), Duration.ofMinutes(1), "agent"));
    shallow.jit.revoke(root.id(), RevocationReason.MANUAL);
    none.jit.revoke(top.id(), RevocationReason.MANUAL);
  }

  @Test
  void aChildWhoseParentEndedCannotBeRenewed() {
    Grant parent = f.grant();
    Grant child = f.jit.delegate(parent.id(), Scope.parse("read:orders/*"),
        Duration.ofMinutes(2), "agent");
    f.jit.revoke(parent.id(), RevocationReason.ANOMALY);
    GrantStateException e = assertThrows(GrantStateException.class,
        () -> f.jit.renew(child.id(), Duration.ofMinutes(1)));
    assertEquals(GrantState.REVOKED, e.state());
  }

  @Test
  void afterRevokingBySubjectAndOwnerAnotherThreadCanStillWrite() throws Exception {
    Grant first = f.grant();
    f.jit.revokeSubject("ci-job-1", RevocationReason.MANUAL);
    f.jit.revokeOwner("team-a", RevocationReason.MANUAL);
    assertEquals(GrantState.REVOKED, f.jit.grant(first.id()).orElseThrow().state());
    java.util.concurrent.ExecutorService other = java.util.concurrent.Executors
        .newSingleThreadExecutor();
    try {
      Grant later = other.submit(() -> f.jit.request(Fixture.request().task("t-later").build()))
          .get(10, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(other.submit(() -> f.jit.revoke(later.id(), RevocationReason.MANUAL))
          .get(10, java.util.concurrent.TimeUnit.SECONDS), "no lock was left held");
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void requestAsPutsTheVerifiedIdentityInTheContextAndKeepsTheRest() {
    dev.jitaccess.WorkloadIdentity identity = new dev.jitaccess.WorkloadIdentity(
        "spiffe://example.org/ci", "https://issuer.example.org", f.clock.instant().plusSeconds(60),
        java.util.Map.of("aud", "jit"));
    dev.jitaccess.spi.IdentityVerifier verifier = credential -> identity;
    GrantRequest request = verifier.requestAs("token", Fixture.request().subject("claimed")
        .context(dev.jitaccess.RequestContext.builder().ticket("CHG-1").build()));
    assertEquals("spiffe://example.org/ci", request.subject());
    assertEquals(identity, request.context().identity().orElseThrow());
    assertEquals("CHG-1", request.context().ticket().orElseThrow());
  }
}
