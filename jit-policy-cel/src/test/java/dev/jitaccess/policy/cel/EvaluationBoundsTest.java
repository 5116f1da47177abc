package dev.jitaccess.policy.cel;

import static dev.jitaccess.policy.cel.Fixtures.NOW;
import static dev.jitaccess.policy.cel.Fixtures.identity;
import static dev.jitaccess.policy.cel.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** While deciding, over a bound is a POLICY_LIMIT denial and any other error POLICY_ERROR. */
class EvaluationBoundsTest {
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final GrantRequest FIVE_PERMISSIONS = request()
      .scope("read:a", "read:b", "read:c", "read:d", "read:e").build();

  private static PolicyDecision decide(CelPolicy.Builder builder, GrantRequest request) {
    return builder.clock(CLOCK).build().onRequest(request, null);
  }

  private static PolicyDecision decide(String condition, GrantRequest request) {
    return decide(CelPolicy.builder().rule("the-rule", condition, "NOT_MET", "words"), request);
  }

  private static GrantRequest withAttribute(String name, String value) {
    return request(RequestContext.builder().attribute(name, value).build());
  }

  @Test
  void aComprehensionOverTheIterationLimitDeniesWithPolicyLimitNamingTheRule() {
    PolicyDecision d = decide(CelPolicy.builder().maxComprehensionIterations(4)
        .rule("all-read", "request.scope.all(p, p.startsWith('read:'))", "NOT_READ", "words"),
        FIVE_PERMISSIONS);
    assertFalse(d.isApproved());
    assertEquals(CelPolicy.POLICY_LIMIT, d.reason());
    assertEquals("rule 'all-read' went over the limit maxComprehensionIterations 4; denied",
        d.detail());
    assertTrue(decide(CelPolicy.builder().maxComprehensionIterations(5)
        .rule("all-read", "request.scope.all(p, p.startsWith('read:'))", "NOT_READ", "words"),
        FIVE_PERMISSIONS).isApproved(), "five iterations are within a limit of five");
  }

  @Test
  void nestedComprehensionsCountTogetherAndEachEvaluationHasItsOwnBudget() {
    String nested = "request.scope.all(p, request.scope.all(q, p != '' && q != ''))";
    GrantRequest three = request().scope("read:a", "read:b", "read:c").build();
    // 3 outer iterations and 3 x 3 inner ones.
    assertEquals(CelPolicy.POLICY_LIMIT, decide(CelPolicy.builder()
        .maxComprehensionIterations(11).rule("nested", nested, "NOT_MET", "words"), three)
        .reason());
    CelPolicy policy = CelPolicy.builder().clock(CLOCK).maxComprehensionIterations(12)
        .rule("nested", nested, "NOT_MET", "words")
        .rule("again", nested, "NOT_MET", "words").build();
    for (int i = 0; i < 3; i++) {
      assertTrue(policy.onRequest(three, null).isApproved());
    }
  }

  @Test
  void aRegexBuiltFromInputOverTheProgramSizeDeniesWithPolicyLimit() {
    PolicyDecision d = decide(CelPolicy.builder().maxRegexProgramSize(20)
        .rule("pattern", "request.subject.matches(request.attributes.pattern)", "NO_MATCH",
            "words"), withAttribute("pattern", "^(ci|cd|build|deploy)-job-[0-9]{1,6}$"));
    assertEquals(CelPolicy.POLICY_LIMIT, d.reason());
    assertTrue(d.detail().startsWith("rule 'pattern': a regular expression built while deciding "
        + "compiles to a program of size "), d.detail());
    assertTrue(d.detail().endsWith(", more than maxRegexProgramSize 20; denied"), d.detail());
  }

  @Test
  void aRegexBuiltFromInputLongerThan1024CharactersDeniesWithPolicyLimit() {
    PolicyDecision d = decide(
        "request.subject.matches(request.attributes.p + request.attributes.p)",
        withAttribute("p", "a".repeat(600)));
    assertEquals(CelPolicy.POLICY_LIMIT, d.reason());
    assertTrue(d.detail().contains("1200 characters long, more than 1024"), d.detail());
  }

  @Test
  void aMalformedRegexBuiltFromInputDeniesWithPolicyError() {
    PolicyDecision d = decide("request.subject.matches(request.attributes.p)",
        withAttribute("p", "(unclosed"));
    assertEquals(CelPolicy.POLICY_ERROR, d.reason());
  }

  @Test
  void aMissingMapKeyDeniesFailClosedWithPolicyErrorNamingTheRule() {
    PolicyDecision d = decide(CelPolicy.builder()
        .rule("team-is-payments", "request.attributes.team == 'payments'", "WRONG_TEAM", "words")
        .rule("never-reached", "false", "NEVER_REACHED", "words"), request().build());
    assertEquals(CelPolicy.POLICY_ERROR, d.reason());
    assertEquals("rule 'team-is-payments' could not be evaluated (ATTRIBUTE_NOT_FOUND); denied, "
        + "fail closed", d.detail());
  }

  @Test
  void arithmeticErrorsAndMissingOverloadsDenyWithPolicyError() {
    GrantRequest replicas = request(RequestContext.builder().attribute("replicas", 0L).build());
    assertEquals(CelPolicy.POLICY_ERROR, decide("10 / request.attributes.replicas > 1", replicas)
        .reason());
    assertEquals(CelPolicy.POLICY_ERROR, decide(
        "request.useBudget + 9223372036854775807 > 0", request().useBudget(1).build()).reason());
    assertEquals(CelPolicy.POLICY_ERROR, decide("request.attributes.replicas > 'x'", replicas)
        .reason());
  }

  @Test
  void aDurationBuiltFromInputIsParsedWhileDecidingAndDeniesIfMalformed() {
    String rule = "request.lifetime <= duration(request.attributes.max)";
    assertTrue(decide(rule, withAttribute("max", "15m")).isApproved());
    assertEquals("NOT_MET", decide(rule, withAttribute("max", "5m")).reason());
    assertEquals(CelPolicy.POLICY_ERROR, decide(rule, withAttribute("max", "15 minutes"))
        .reason());
  }

  @Test
  void anErrorThatCelLogicAbsorbsDoesNotDeny() {
    // CEL's && and || are commutative over errors: true || error is true, false && error false.
    assertTrue(decide("request.attributes.missing == 'x' || true", request().build())
        .isApproved());
    assertEquals("NOT_MET", decide("request.attributes.missing == 'x' && false",
        request().build()).reason());
  }

  @Test
  void aDenialForAnErrorNeverQuotesAValueTheExpressionRead() {
    Map<String, Object> claims = Map.of("jti", "tok_3b1f9c-SECRET-VALUE");
    GrantRequest r = request(RequestContext.builder().identity(identity(claims)).build());
    PolicyDecision d = decide("request.attributes[identity.claims.jti] == 'x'", r);
    assertEquals(CelPolicy.POLICY_ERROR, d.reason());
    assertFalse(d.detail().contains("SECRET"), d.detail());
    PolicyDecision regex = decide("request.subject.matches(identity.claims.jti + '(')", r);
    assertEquals(CelPolicy.POLICY_ERROR, regex.reason());
    assertFalse(regex.detail().contains("SECRET"), regex.detail());
  }

  @Test
  void claimsNestedDeeperThanSixteenLevelsDeny() {
    Map<String, Object> claims = new HashMap<>();
    Map<String, Object> level = claims;
    for (int i = 0; i < 20; i++) {
      Map<String, Object> next = new HashMap<>();
      level.put("n", next);
      level = next;
    }
    GrantRequest r = request(RequestContext.builder().identity(identity(claims)).build());
    assertEquals(CelPolicy.POLICY_ERROR, decide("has(identity.claims.n)", r).reason());
    assertTrue(decide("identity.verified", r).isApproved(), "unread claims are never converted");
  }
}
