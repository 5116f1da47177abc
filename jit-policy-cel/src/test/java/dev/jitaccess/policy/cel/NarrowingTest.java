package dev.jitaccess.policy.cel;

import static dev.jitaccess.policy.cel.Fixtures.NOW;
import static dev.jitaccess.policy.cel.Fixtures.grant;
import static dev.jitaccess.policy.cel.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.Scope;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Narrowings shorten the lifetime and reduce the scope of what the rules approved. */
class NarrowingTest {
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final GrantRequest DEPLOY = request()
      .scope("write:deployments/payments", "delete:deployments/payments", "read:config/**")
      .build();

  private static CelPolicy.Builder policy() {
    return CelPolicy.builder().clock(CLOCK);
  }

  @Test
  void aLifetimeNarrowingShortensTheLifetimeToTheShortestAnswer() {
    CelPolicy policy = policy()
        .narrowLifetime("contractors", "request.tier == 'contractor' ? duration('3m') "
            + ": request.lifetime")
        .narrowLifetime("at-most-five", "duration('5m')")
        .build();
    PolicyDecision staff = policy.onRequest(DEPLOY, null);
    assertTrue(staff.isApproved());
    assertEquals(Duration.ofMinutes(5), staff.narrowedDuration());
    assertNull(staff.narrowedScope());
    GrantRequest contractor = DEPLOY.toBuilder()
        .context(RequestContext.builder().tier("contractor").build()).build();
    assertEquals(Duration.ofMinutes(3), policy.onRequest(contractor, null).narrowedDuration());
  }

  @Test
  void aLifetimeNarrowingLongerThanAskedApprovesAsAsked() {
    PolicyDecision d = policy().narrowLifetime("an-hour", "duration('1h')").build()
        .onRequest(DEPLOY, null);
    assertSame(PolicyDecision.approve(), d);
  }

  @Test
  void aLifetimeNarrowingShortensTheExtensionOfARenewal() {
    Grant grant = grant("read:orders/1", NOW, Duration.ofMinutes(10), Duration.ofHours(1));
    PolicyDecision d = policy().narrowLifetime("renew-briefly",
        "kind == 'renewal' ? duration('2m') : request.lifetime").build()
        .onRenewal(grant, Duration.ofMinutes(10));
    assertTrue(d.isApproved());
    assertEquals(Duration.ofMinutes(2), d.narrowedDuration());
  }

  @Test
  void aLifetimeOfZeroOrLessDeniesWithPolicyError() {
    PolicyDecision d = policy().narrowLifetime("minus", "request.lifetime - duration('1h')")
        .build().onRequest(DEPLOY, null);
    assertEquals(CelPolicy.POLICY_ERROR, d.reason());
    assertEquals("narrowing 'minus' could not be evaluated (answered a lifetime of PT-50M, "
        + "which must be > 0); denied, fail closed", d.detail());
  }

  @Test
  void aScopeNarrowingGrantsOnlyThePermissionsItAnswers() {
    PolicyDecision d = policy()
        .narrowScope("no-delete", "request.scope.filter(p, !p.startsWith('delete:'))")
        .build().onRequest(DEPLOY, null);
    assertTrue(d.isApproved());
    assertEquals(Scope.parse("write:deployments/payments", "read:config/**"), d.narrowedScope());
    assertNull(d.narrowedDuration());
  }

  @Test
  void aScopeNarrowingMayAnswerNarrowerPatternsWithinTheAsk() {
    PolicyDecision d = policy()
        .narrowScope("config-of-payments", "request.scope.map(p, p == 'read:config/**' "
            + "? 'read:config/payments/*' : p)")
        .build().onRequest(DEPLOY, null);
    assertEquals(Scope.parse("write:deployments/payments", "delete:deployments/payments",
        "read:config/payments/*"), d.narrowedScope());
  }

  @Test
  void aScopeNarrowingThatKeepsEverythingApprovesAsAsked() {
    assertSame(PolicyDecision.approve(), policy().narrowScope("all", "request.scope").build()
        .onRequest(DEPLOY, null));
  }

  @Test
  void aScopeNarrowingThatLeavesNothingDeniesWithPolicyEmptyScope() {
    PolicyDecision d = policy()
        .narrowScope("read-only", "request.scope.filter(p, p.startsWith('list:'))")
        .build().onRequest(DEPLOY, null);
    assertEquals(CelPolicy.POLICY_EMPTY_SCOPE, d.reason());
    assertEquals("narrowing 'read-only' left no permission of the scope asked for", d.detail());
  }

  @Test
  void aScopeNarrowingOutsideTheAskOrMalformedDeniesWithPolicyError() {
    PolicyDecision wider = policy().narrowScope("wider", "request.scope + ['admin:everything']")
        .build().onRequest(DEPLOY, null);
    assertEquals(CelPolicy.POLICY_ERROR, wider.reason());
    assertTrue(wider.detail().contains("a scope not within the one asked for"), wider.detail());
    PolicyDecision malformed = policy().narrowScope("malformed", "['no colon']").build()
        .onRequest(DEPLOY, null);
    assertEquals(CelPolicy.POLICY_ERROR, malformed.reason());
    PolicyDecision notStrings = policy().narrowScope("mixed", "[1, 'read:config/**']").build()
        .onRequest(DEPLOY, null);
    assertEquals("narrowing 'mixed' could not be evaluated (answered a list holding a Long); "
        + "denied, fail closed", notStrings.detail());
  }

  @Test
  void aScopeNarrowingIsNotAskedOnRenewals() {
    Grant grant = grant("read:orders/1", NOW, Duration.ofMinutes(10), Duration.ofHours(1));
    assertSame(PolicyDecision.approve(), policy().narrowScope("nothing", "[]").build()
        .onRenewal(grant, Duration.ofMinutes(5)));
  }

  @Test
  void narrowingsAreAskedOnlyOnceEveryRuleHolds() {
    CelPolicy policy = policy()
        .rule("ticket", "request.ticket != ''", "TICKET_REQUIRED", "a ticket is required")
        .narrowLifetime("broken", "duration(request.attributes.missing)")
        .build();
    assertEquals("TICKET_REQUIRED", policy.onRequest(DEPLOY, null).reason());
    GrantRequest ticketed = DEPLOY.toBuilder()
        .context(RequestContext.builder().ticket("CHG-1").build()).build();
    assertEquals(CelPolicy.POLICY_ERROR, policy.onRequest(ticketed, null).reason());
  }
}
