package dev.jitaccess.policy.cel;

import static dev.jitaccess.policy.cel.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.DelegationRequest;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantDeniedException;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.Scope;
import dev.jitaccess.Ttl;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.testkit.RecordingAuditSink;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A CEL policy in jit-core's runtime denies, narrows and shadows real requests. */
class CelPolicyRuntimeTest {
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T09:00:00Z"));
  private final RecordingAuditSink audit = new RecordingAuditSink();
  private JitAccess jit = runtime(CelPolicy.builder().clock(clock)
      .rulesFromYaml("deploy.yaml", PolicyFileTest.POLICY)
      .rule("office-hours", "now.getHours('UTC') >= 7 && now.getHours('UTC') < 19",
          "OUTSIDE_OFFICE_HOURS", "07:00 to 19:00 UTC")
      .rule("delegate-within-task", "kind != 'delegation' || request.task == parent.task",
          "OTHER_TASK", "a delegation stays within its parent's task")
      .build());

  private JitAccess runtime(AccessPolicy policy) {
    return JitAccess.builder().clock(clock).scheduler(clock)
        .store(InMemoryGrantStore.builder().clock(clock).scheduler(clock).build())
        .auditSink(audit).policy(policy).build();
  }

  @AfterEach
  void close() {
    jit.close();
  }

  private static GrantRequest ticketed(RequestContext.Builder context, String... scope) {
    return request().scope(scope).ttl(Ttl.of(Duration.ofMinutes(10)))
        .context(context.ticket("CHG-1").build()).build();
  }

  @Test
  void aRequestTheRulesRefuseIsDeniedWithTheRulesReasonAndAudited() {
    GrantDeniedException e = assertThrows(GrantDeniedException.class,
        () -> jit.request(request().build()));
    assertEquals("TICKET_REQUIRED", e.reason());
    AuditEvent denied = audit.eventsOfType(AuditEventType.DENIED).get(0);
    assertEquals("TICKET_REQUIRED", denied.reason());
    assertEquals("policy denied: rule 'ticket-required': a change ticket is required",
        denied.detail());
    assertTrue(audit.eventsOfType(AuditEventType.ISSUED).isEmpty());

    clock.advance(Duration.ofHours(11)); // 20:00 UTC
    assertEquals("OUTSIDE_OFFICE_HOURS", assertThrows(GrantDeniedException.class,
        () -> jit.request(ticketed(RequestContext.builder(), "read:orders/1"))).reason());
  }

  @Test
  void aRequestTheNarrowingsReduceIsMintedNarrowed() {
    Grant grant = jit.request(ticketed(RequestContext.builder().tier("contractor"),
        "write:deployments/payments", "delete:deployments/payments"));
    assertEquals(Scope.parse("write:deployments/payments"), grant.scope());
    assertEquals(clock.instant().plus(Duration.ofMinutes(3)), grant.expiresAt());
    assertTrue(jit.check(grant.id(), "write", "deployments/payments").isAllowed());
    assertFalse(jit.check(grant.id(), "delete", "deployments/payments").isAllowed());
  }

  @Test
  void aRenewalIsDecidedByTheRulesForRenewals() {
    Grant grant = jit.request(ticketed(RequestContext.builder(), "read:orders/1"));
    clock.advance(Duration.ofMinutes(5));
    Grant renewed = jit.renew(grant.id(), Duration.ofMinutes(10));
    assertEquals(clock.instant().plus(Duration.ofMinutes(10)), renewed.expiresAt());
    clock.advance(Duration.ofHours(10)); // past 19:00 UTC, and the grant long expired: a new one
    assertThrows(GrantDeniedException.class,
        () -> jit.request(ticketed(RequestContext.builder(), "read:orders/1")));
  }

  @Test
  void aDelegationIsDecidedWithItsParent() {
    Grant parent = jit.request(ticketed(RequestContext.builder(), "read:orders/*"));
    DelegationRequest.Builder delegation = DelegationRequest.builder().subject("agent-7")
        .scope("read:orders/1").ttl(Ttl.of(Duration.ofMinutes(5)))
        .context(RequestContext.builder().ticket("CHG-1").build());
    Grant child = jit.delegate(parent.id(), delegation.build());
    assertEquals(parent.id(), child.parentId());
    assertEquals("OTHER_TASK", assertThrows(GrantDeniedException.class,
        () -> jit.delegate(parent.id(), delegation.task("another-task").build())).reason());
  }

  @Test
  void anEvaluationOverABoundIsADenialOfTheRuntime() {
    jit.close();
    jit = runtime(CelPolicy.builder().clock(clock).maxComprehensionIterations(2)
        .rule("all-read", "request.scope.all(p, p.startsWith('read:'))", "NOT_READ", "words")
        .build());
    GrantDeniedException e = assertThrows(GrantDeniedException.class,
        () -> jit.request(request().scope("read:a", "read:b", "read:c").build()));
    assertEquals(CelPolicy.POLICY_LIMIT, e.reason());
    assertTrue(e.getMessage().contains("rule 'all-read' went over the limit "
        + "maxComprehensionIterations 2"), e.getMessage());
  }

  @Test
  void aShadowCandidateInTheRuntimeIsAuditedAndNeverEnforced() {
    jit.close();
    CelPolicy candidate = CelPolicy.builder().clock(clock)
        .rulesFromYaml("deploy.yaml", PolicyFileTest.POLICY).build();
    jit = runtime(ShadowPolicy.builder().enforced(AccessPolicy.approveWithinLimits())
        .candidate(candidate).auditSink(audit).clock(clock).build());
    Grant grant = jit.request(request().build());
    assertEquals(request().build().scope(), grant.scope(), "the candidate's answers never apply");
    List<AuditEvent> disagreements = audit.eventsOfType(AuditEventType.POLICY_DISAGREEMENT);
    assertEquals(1, disagreements.size());
    assertEquals("TICKET_REQUIRED", disagreements.get(0).reason());
    assertEquals(List.of(AuditEventType.POLICY_DISAGREEMENT, AuditEventType.ISSUED),
        audit.events().stream().map(AuditEvent::type).toList());
  }
}
