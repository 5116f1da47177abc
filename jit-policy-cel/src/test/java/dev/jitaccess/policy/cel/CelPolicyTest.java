package dev.jitaccess.policy.cel;

import static dev.jitaccess.policy.cel.Fixtures.NOW;
import static dev.jitaccess.policy.cel.Fixtures.grant;
import static dev.jitaccess.policy.cel.Fixtures.identity;
import static dev.jitaccess.policy.cel.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.Ttl;
import dev.jitaccess.spi.PolicyDecision;
import dev.jitaccess.testkit.time.FakeClock;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class CelPolicyTest {
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** Whether a policy of the one condition approves the request (or delegation from parent). */
  private static boolean holds(String condition, GrantRequest request, @Nullable Grant parent) {
    CelPolicy policy = CelPolicy.builder().clock(CLOCK)
        .rule("under-test", condition, "NOT_MET", "the condition under test does not hold")
        .build();
    PolicyDecision decision = policy.onRequest(request, parent);
    assertTrue(decision.isApproved() || "NOT_MET".equals(decision.reason()),
        condition + " failed to evaluate: " + decision);
    return decision.isApproved();
  }

  private static boolean holds(String condition, GrantRequest request) {
    return holds(condition, request, null);
  }

  private static boolean holdsOnRenewal(String condition, Grant grant, Duration extension) {
    CelPolicy policy = CelPolicy.builder().clock(CLOCK)
        .rule("under-test", condition, "NOT_MET", "the condition under test does not hold")
        .build();
    PolicyDecision decision = policy.onRenewal(grant, extension);
    assertTrue(decision.isApproved() || "NOT_MET".equals(decision.reason()),
        condition + " failed to evaluate: " + decision);
    return decision.isApproved();
  }

  @Test
  void approvesAsAskedWhenEveryRuleHolds() {
    CelPolicy policy = CelPolicy.builder().clock(CLOCK)
        .rule("ci-only", "request.subject.startsWith('ci-')", "NOT_CI", "only CI jobs")
        .rule("short", "request.lifetime <= duration('30m')", "TOO_LONG", "at most 30 minutes")
        .build();
    PolicyDecision decision = policy.onRequest(request().build(), null);
    assertTrue(decision.isApproved());
    assertNull(decision.narrowedScope());
    assertNull(decision.narrowedDuration());
  }

  @Test
  void theFirstRuleThatDoesNotHoldDeniesWithItsReasonCodeAndNamesTheRule() {
    CelPolicy policy = CelPolicy.builder().clock(CLOCK)
        .rule("holds", "true", "NEVER", "never denies")
        .rule("ticket-required", "request.ticket != ''", "TICKET_REQUIRED",
            "a change ticket is required")
        .rule("tier-required", "request.tier != ''", "TIER_REQUIRED", "a risk tier is required")
        .build();
    PolicyDecision decision = policy.onRequest(request().build(), null);
    assertFalse(decision.isApproved());
    assertEquals("TICKET_REQUIRED", decision.reason());
    assertEquals("rule 'ticket-required': a change ticket is required", decision.detail());
  }

  @Test
  void aRuleForRequestsIsNotAskedOnRenewalsAndARuleForRenewalsNotOnRequests() {
    CelPolicy policy = CelPolicy.builder().clock(CLOCK)
        .rule("no-requests", AppliesTo.REQUESTS, "false", "NO_REQUESTS", "requests refused")
        .rule("no-renewals", AppliesTo.RENEWALS, "false", "NO_RENEWALS", "renewals refused")
        .build();
    Grant grant = grant("read:orders/1", NOW, Duration.ofMinutes(5), Duration.ofHours(1));
    assertEquals("NO_REQUESTS", policy.onRequest(request().build(), null).reason());
    assertEquals("NO_RENEWALS", policy.onRenewal(grant, Duration.ofMinutes(5)).reason());
  }

  @Test
  void readsTheRequestsNamesScopeAndActions() {
    GrantRequest r = request().scope("write:deployments/payments", "read:config/payments/**",
        "read:orders/*").build();
    assertTrue(holds("request.subject == 'ci-job-4711' && request.owner == 'team-payments'"
        + " && request.task == 'deploy-2026-11-23'"
        + " && request.purpose == 'deploy the payments service'", r));
    assertTrue(holds("request.scope == ['read:config/payments/**', 'read:orders/*',"
        + " 'write:deployments/payments']", r));
    assertTrue(holds("request.actions == ['read', 'write']", r));
    assertTrue(holds("'read:orders/*' in request.scope && size(request.scope) == 3", r));
  }

  @Test
  void readsLifetimeHardCapAndUseBudgetWithZeroForWhatIsNotAsked() {
    GrantRequest capped = request()
        .ttl(Ttl.of(Duration.ofMinutes(10), Duration.ofHours(2))).useBudget(7).build();
    assertTrue(holds("request.lifetime == duration('10m') && request.hardCap == duration('2h')"
        + " && request.useBudget == 7", capped));
    assertTrue(holds("request.hardCap == duration('0s') && request.useBudget == 0",
        request().build()));
  }

  @Test
  void readsTheContextWithTypedAttributes() {
    RequestContext context = RequestContext.builder().justification("hotfix for INC-1")
        .ticket("CHG-42").tier("high").source("10.0.0.7")
        .attribute("env", "prod").attribute("replicas", 3L).attribute("load", 0.75)
        .attribute("approved", true).attribute("regions", List.of("eu-west-1", "eu-central-1"))
        .build();
    GrantRequest r = request(context);
    assertTrue(holds("request.justification == 'hotfix for INC-1' && request.ticket == 'CHG-42'"
        + " && request.tier == 'high' && request.source == '10.0.0.7'", r));
    assertTrue(holds("request.attributes.env == 'prod' && request.attributes.replicas == 3"
        + " && request.attributes.load < 1.0 && request.attributes.approved"
        + " && 'eu-central-1' in request.attributes.regions", r));
    assertTrue(holds("has(request.attributes.env) && !has(request.attributes.missing)", r));
  }

  @Test
  void anEmptyContextReadsAsZeroValues() {
    assertTrue(holds("request.justification == '' && request.ticket == '' && request.tier == ''"
        + " && request.source == '' && request.attributes == {}", request().build()));
    assertTrue(holds("!identity.verified && identity.subject == '' && identity.issuer == ''"
        + " && identity.expiresAt == timestamp(0) && identity.claims == {}", request().build()));
  }

  @Test
  void readsTheVerifiedIdentityAndItsClaimsAsCelValues() {
    Map<String, Object> claims = new HashMap<>();
    claims.put("team", "payments");
    claims.put("level", 3); // an Integer, as some JSON parsers hand it over
    claims.put("big", BigInteger.valueOf(5));
    claims.put("ratio", 0.5f);
    claims.put("groups", List.of("deployers", "oncall"));
    claims.put("repo", Map.of("name", "payments", "protected", true));
    claims.put("iat", Date.from(NOW.minusSeconds(60)));
    claims.put("nothing", null);
    GrantRequest r = request(RequestContext.builder().identity(identity(claims)).build());
    assertTrue(holds("identity.verified && identity.subject == 'spiffe://example.org/ci/runner'"
        + " && identity.issuer == 'https://issuer.example.org'"
        + " && identity.expiresAt == now + duration('1h')", r));
    assertTrue(holds("identity.claims.team == 'payments' && identity.claims.level == 3"
        + " && identity.claims.big == 5 && identity.claims.ratio == 0.5"
        + " && 'oncall' in identity.claims.groups && identity.claims.repo['protected']"
        + " && identity.claims.iat < now && identity.claims.nothing == null", r));
  }

  @Test
  void kindTellsRequestsDelegationsAndRenewalsApart() {
    Grant parent = grant("write:deployments/payments read:config/payments/**", NOW,
        Duration.ofMinutes(30), Duration.ofHours(1));
    assertTrue(holds("kind == 'request'", request().build()));
    assertTrue(holds("kind == 'delegation'", request().build(), parent));
    assertTrue(holdsOnRenewal("kind == 'renewal'", parent, Duration.ofMinutes(5)));
  }

  @Test
  void aDelegationReadsItsParentAndATopLevelRequestReadsZeroValues() {
    Grant parent = grant("write:deployments/payments read:config/payments/**", NOW,
        Duration.ofMinutes(30), Duration.ofHours(1));
    assertTrue(holds("parent.subject == 'ci-job-4711' && parent.owner == 'team-payments'"
        + " && parent.task == 'deploy-2026-11-23'"
        + " && request.scope.all(p, p in parent.scope)"
        + " && parent.expiresAt == now + duration('30m')", request().build(), parent));
    assertTrue(holds("parent.subject == '' && parent.scope == []"
        + " && parent.expiresAt == timestamp(0)", request().build()));
  }

  @Test
  void aRenewalReadsTheGrantRenewedAndTheExtensionAsTheLifetime() {
    Instant issued = NOW.minus(Duration.ofMinutes(20));
    Grant grant = grant("read:orders/1", issued, Duration.ofMinutes(25), Duration.ofHours(2));
    assertTrue(holdsOnRenewal("request.lifetime == duration('15m')"
        + " && request.hardCap == duration('2h') && request.scope == ['read:orders/1']"
        + " && request.subject == 'ci-job-4711' && request.ticket == ''", grant,
        Duration.ofMinutes(15)));
    assertTrue(holdsOnRenewal("now - grant.issuedAt == duration('20m')"
        + " && grant.expiresAt == now + duration('5m')"
        + " && grant.notAfter == grant.issuedAt + duration('2h')", grant, Duration.ofMinutes(15)));
    assertTrue(holds("grant.issuedAt == timestamp(0)", request().build()));
  }

  @Test
  void nowIsReadFromTheBuildersClockAtEachDecision() {
    FakeClock clock = new FakeClock(Instant.parse("2026-11-23T06:30:00Z"));
    CelPolicy policy = CelPolicy.builder().clock(clock)
        .rule("office-hours", "now.getHours('Europe/Berlin') >= 8"
            + " && now.getHours('Europe/Berlin') < 18", "OUTSIDE_OFFICE_HOURS",
            "from 08:00 to 18:00 Berlin time")
        .build();
    assertEquals("OUTSIDE_OFFICE_HOURS", policy.onRequest(request().build(), null).reason());
    clock.advance(Duration.ofHours(1)); // 07:30 UTC, 08:30 in Berlin
    assertTrue(policy.onRequest(request().build(), null).isApproved());
    clock.advance(Duration.ofHours(10)); // 17:30 UTC, 18:30 in Berlin
    assertEquals("OUTSIDE_OFFICE_HOURS", policy.onRequest(request().build(), null).reason());
  }

  @Test
  void matchesIsAPartialRe2MatchAsInTheCelSpecification() {
    GrantRequest r = request().build();
    assertTrue(holds("request.subject.matches('job-[0-9]+')", r));
    assertTrue(holds("matches(request.subject, '^ci-job-[0-9]+$')", r));
    assertFalse(holds("request.subject.matches('^job')", r));
    assertTrue(holds("request.owner.matches('^team-' + 'pay')", r)); // built while deciding
  }

  @Test
  void thePolicyIsReusableAcrossDecisionsAndItsBuilderAcrossBuilds() {
    CelPolicy.Builder builder = CelPolicy.builder().clock(CLOCK)
        .rule("ci-only", "request.subject.startsWith('ci-')", "NOT_CI", "only CI jobs");
    CelPolicy first = builder.build();
    CelPolicy second = builder.build();
    GrantRequest human = request().subject("alice").build();
    for (CelPolicy policy : Arrays.asList(first, second, first)) {
      assertTrue(policy.onRequest(request().build(), null).isApproved());
      assertEquals("NOT_CI", policy.onRequest(human, null).reason());
    }
    assertEquals("CelPolicy[rules=[ci-only], maxExpressionLength=2048, maxAstNodes=512, "
        + "maxAstDepth=32, maxRegexProgramSize=256, maxComprehensionIterations=5000]",
        first.toString());
  }
}
