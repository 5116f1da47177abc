package dev.jitaccess.policy.cel;

import static dev.jitaccess.policy.cel.Fixtures.NOW;
import static dev.jitaccess.policy.cel.Fixtures.grant;
import static dev.jitaccess.policy.cel.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.Scope;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import dev.jitaccess.testkit.RecordingAuditSink;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The enforced policy decides; the candidate's disagreements are audited, never enforced. */
class ShadowPolicyTest {
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final GrantRequest REQUEST = request()
      .context(RequestContext.builder().justification("deploy fix").tier("low").build())
      .build();
  private static final CelPolicy TICKET_REQUIRED = CelPolicy.builder().clock(CLOCK)
      .rule("ticket-required", "request.ticket != ''", "TICKET_REQUIRED",
          "a change ticket is required")
      .build();

  private final RecordingAuditSink audit = new RecordingAuditSink();

  private ShadowPolicy shadow(AccessPolicy enforced, AccessPolicy candidate) {
    return ShadowPolicy.builder().enforced(enforced).candidate(candidate).auditSink(audit)
        .clock(CLOCK).build();
  }

  /** A policy that answers every question with {@code answer}'s result. */
  private static AccessPolicy answering(Supplier<@Nullable PolicyDecision> answer) {
    return new AccessPolicy() {
      @Override
      public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
        return answer.get();
      }

      @Override
      public PolicyDecision onRenewal(Grant grant, Duration extension) {
        return answer.get();
      }
    };
  }

  private AuditEvent onlyDisagreement() {
    List<AuditEvent> events = audit.eventsOfType(AuditEventType.POLICY_DISAGREEMENT);
    assertEquals(1, events.size(), "events: " + audit.events());
    return events.get(0);
  }

  @Test
  void policiesThatAgreeRecordNothing() {
    PolicyDecision d = shadow(TICKET_REQUIRED, TICKET_REQUIRED).onRequest(REQUEST, null);
    assertEquals("TICKET_REQUIRED", d.reason());
    assertTrue(audit.events().isEmpty());
  }

  @Test
  void aCandidateThatDeniesWhatTheEnforcedApprovesIsAuditedAndNotEnforced() {
    PolicyDecision d = shadow(AccessPolicy.approveWithinLimits(), TICKET_REQUIRED)
        .onRequest(REQUEST, null);
    assertSame(PolicyDecision.approve(), d);
    AuditEvent e = onlyDisagreement();
    assertEquals(NOW, e.at());
    assertEquals("TICKET_REQUIRED", e.reason());
    assertEquals("kind=request enforced=APPROVED candidate=TICKET_REQUIRED; enforced: approved; "
        + "candidate: rule 'ticket-required': a change ticket is required", e.detail());
    assertEquals(REQUEST.subject(), e.subject());
    assertEquals(REQUEST.owner(), e.owner());
    assertEquals(REQUEST.task(), e.task());
    assertEquals(REQUEST.scope().toString(), e.scope());
    assertEquals("deploy fix", e.justification());
    assertEquals("low", e.tier());
  }

  @Test
  void aCandidateThatApprovesWhatTheEnforcedDeniesIsAuditedAndTheDenialStands() {
    PolicyDecision d = shadow(TICKET_REQUIRED, AccessPolicy.approveWithinLimits())
        .onRequest(REQUEST, null);
    assertEquals("TICKET_REQUIRED", d.reason());
    AuditEvent e = onlyDisagreement();
    assertEquals("APPROVED", e.reason());
    assertTrue(e.detail().startsWith("kind=request enforced=TICKET_REQUIRED candidate=APPROVED;"),
        e.detail());
  }

  @Test
  void twoDenialsWithDifferentReasonCodesDisagree() {
    CelPolicy tierRequired = CelPolicy.builder().clock(CLOCK)
        .rule("tier-high", "request.tier == 'high'", "TIER_TOO_LOW", "only the high tier")
        .build();
    assertEquals("TICKET_REQUIRED",
        shadow(TICKET_REQUIRED, tierRequired).onRequest(REQUEST, null).reason());
    assertTrue(onlyDisagreement().detail()
        .startsWith("kind=request enforced=TICKET_REQUIRED candidate=TIER_TOO_LOW;"));
  }

  @Test
  void twoApprovalsNarrowedDifferentlyDisagree() {
    CelPolicy fiveMinutes = CelPolicy.builder().clock(CLOCK)
        .narrowLifetime("five", "duration('5m')").build();
    CelPolicy readOnly = CelPolicy.builder().clock(CLOCK)
        .narrowScope("read-only", "request.scope.filter(p, p.startsWith('read:'))").build();
    PolicyDecision d = shadow(fiveMinutes, readOnly).onRequest(REQUEST, null);
    assertEquals(Duration.ofMinutes(5), d.narrowedDuration());
    assertNull(d.narrowedScope());
    AuditEvent e = onlyDisagreement();
    assertEquals("APPROVED_NARROWED", e.reason());
    assertEquals("kind=request enforced=APPROVED_NARROWED candidate=APPROVED_NARROWED; enforced: "
        + "approved narrowed to duration PT5M; candidate: approved narrowed to scope "
        + "read:config/payments/**", e.detail());
    RecordingAuditSink quiet = new RecordingAuditSink();
    ShadowPolicy.builder().enforced(fiveMinutes).candidate(fiveMinutes).auditSink(quiet)
        .clock(CLOCK).build().onRequest(REQUEST, null);
    assertTrue(quiet.events().isEmpty());
  }

  @Test
  void aCandidateThatThrowsOrAnswersNullNeverChangesTheDecisionNorLeaksItsMessage() {
    List<Supplier<@Nullable PolicyDecision>> failures = List.of(
        () -> {
          throw new IllegalStateException("grant id 7Jq2-secret-id");
        },
        () -> {
          throw new AssertionError("grant id 7Jq2-secret-id");
        },
        () -> {
          throw new StackOverflowError();
        },
        () -> null);
    for (Supplier<@Nullable PolicyDecision> failure : failures) {
      PolicyDecision d = shadow(AccessPolicy.approveWithinLimits(), answering(failure))
          .onRequest(REQUEST, null);
      assertSame(PolicyDecision.approve(), d);
    }
    List<AuditEvent> events = audit.eventsOfType(AuditEventType.POLICY_DISAGREEMENT);
    assertEquals(4, events.size());
    assertEquals("kind=request enforced=APPROVED candidate=POLICY_FAILURE; enforced: approved; "
        + "candidate: threw java.lang.IllegalStateException", events.get(0).detail());
    assertEquals("candidate: answered null", events.get(3).detail().replaceAll(".*; ", ""));
    for (AuditEvent e : events) {
      assertEquals("POLICY_FAILURE", e.reason());
      assertFalse(e.toString().contains("secret"), e.toString());
    }
  }

  @Test
  void aCandidateOutOfMemoryPassesThroughAsTheRuntimeWouldFailClosedOnItAnyway() {
    ShadowPolicy policy = shadow(AccessPolicy.approveWithinLimits(), answering(() -> {
      throw new OutOfMemoryError("simulated");
    }));
    assertThrows(OutOfMemoryError.class, () -> policy.onRequest(REQUEST, null));
  }

  @Test
  void anEnforcedPolicyThatThrowsIsThrownOnAsItIsOnceCompared() {
    IllegalStateException outage = new IllegalStateException("policy backend unavailable");
    ShadowPolicy policy = shadow(answering(() -> {
      throw outage;
    }), AccessPolicy.approveWithinLimits());
    assertSame(outage, assertThrows(IllegalStateException.class,
        () -> policy.onRequest(REQUEST, null)));
    assertTrue(onlyDisagreement().detail().startsWith(
        "kind=request enforced=POLICY_FAILURE candidate=APPROVED;"));
  }

  @Test
  void anAuditSinkThatThrowsNeverChangesTheDecision() {
    ShadowPolicy policy = ShadowPolicy.builder().enforced(AccessPolicy.approveWithinLimits())
        .candidate(TICKET_REQUIRED).clock(CLOCK)
        .auditSink(event -> {
          throw new IllegalStateException("audit store down");
        }).build();
    assertSame(PolicyDecision.approve(), policy.onRequest(REQUEST, null));
  }

  @Test
  void renewalsAndDelegationsAreComparedAndNameGrantsByReferenceOnly() {
    Grant grant = grant("read:orders/1", NOW.minusSeconds(60), Duration.ofMinutes(5),
        Duration.ofHours(1));
    CelPolicy noRenewals = CelPolicy.builder().clock(CLOCK)
        .rule("no-renewals", AppliesTo.RENEWALS, "false", "NO_RENEWALS", "never renewed")
        .build();
    ShadowPolicy policy = shadow(AccessPolicy.approveWithinLimits(), noRenewals);
    assertSame(PolicyDecision.approve(), policy.onRenewal(grant, Duration.ofMinutes(5)));
    AuditEvent renewal = onlyDisagreement();
    assertEquals(grant.reference(), renewal.grantRef());
    assertEquals(grant.expiresAt(), renewal.expiresAt());
    assertTrue(renewal.detail().startsWith("kind=renewal enforced=APPROVED "
        + "candidate=NO_RENEWALS;"), renewal.detail());
    assertFalse(renewal.toString().contains(grant.id()), renewal.toString());

    RecordingAuditSink delegations = new RecordingAuditSink();
    CelPolicy noDelegation = CelPolicy.builder().clock(CLOCK)
        .rule("no-delegation", "kind != 'delegation'", "NO_DELEGATION", "never delegated")
        .build();
    ShadowPolicy.builder().enforced(AccessPolicy.approveWithinLimits()).candidate(noDelegation)
        .auditSink(delegations).clock(CLOCK).build()
        .onRequest(request().scope(Scope.parse("read:orders/1")).build(), grant);
    AuditEvent delegation = delegations.events().get(0);
    assertEquals(grant.reference(), delegation.parentRef());
    assertTrue(delegation.detail().startsWith("kind=delegation "), delegation.detail());
    assertFalse(delegation.toString().contains(grant.id()), delegation.toString());
  }

  @Test
  void theBuilderNamesWhatIsMissingAndSetsEachSettingOnce() {
    NullPointerException missing = assertThrows(NullPointerException.class,
        () -> ShadowPolicy.builder().enforced(TICKET_REQUIRED).auditSink(audit).build());
    assertEquals("candidate must be set", missing.getMessage());
    ShadowPolicy.Builder b = ShadowPolicy.builder().enforced(TICKET_REQUIRED);
    assertEquals("enforced was already set",
        assertThrows(IllegalStateException.class, () -> b.enforced(TICKET_REQUIRED))
            .getMessage());
  }
}
