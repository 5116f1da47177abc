package dev.jitaccess.policy.cel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.policy.cel.CelPolicyException.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every expression is compiled once, at build(); what does not compile names rule and place. */
class CompileErrorsTest {
  private static CelPolicyException refused(CelPolicy.Builder builder) {
    return assertThrows(CelPolicyException.class, builder::build);
  }

  private static CelPolicyException refused(String condition) {
    return refused(CelPolicy.builder().rule("the-rule", condition, "DENIED_BY_RULE", "words"));
  }

  private static void assertMessage(CelPolicyException e, String... parts) {
    for (String part : parts) {
      assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
    }
  }

  @Test
  void aSyntaxErrorNamesTheRuleTheExpressionAndTheLineAndColumn() {
    CelPolicyException e = refused(CelPolicy.builder()
        .rule("holds", "true", "NEVER", "never denies")
        .rule("ticket-required", "request.ticket != '' &&", "TICKET_REQUIRED", "a ticket"));
    assertEquals(Kind.SYNTAX, e.kind());
    assertEquals("ticket-required", e.rule());
    assertEquals(1, e.line());
    assertEquals(24, e.column());
    assertMessage(e, "rule 'ticket-required' condition: syntax error at 1:24: ",
        "in `request.ticket != '' &&`");
  }

  @Test
  void aSyntaxErrorOnALaterLineIsPlacedOnIt() {
    CelPolicyException e = refused("request.ticket != ''\n  && request.tier = 'high'");
    assertEquals(Kind.SYNTAX, e.kind());
    assertEquals(2, e.line());
    assertMessage(e, "syntax error at 2:", "`request.ticket != ''\\n  && request.tier = 'high'`");
  }

  @Test
  void operandsOfTheWrongTypeAreATypeErrorAtTheOperator() {
    CelPolicyException e = refused("request.subject + 1 == 'x'");
    assertEquals(Kind.TYPE, e.kind());
    assertEquals("the-rule", e.rule());
    assertEquals(1, e.line());
    assertEquals(17, e.column());
    assertMessage(e, "rule 'the-rule' condition: type error at 1:17: ",
        "no matching overload for '_+_'", "in `request.subject + 1 == 'x'`");
  }

  @Test
  void anUndeclaredVariableOrFunctionIsATypeError() {
    assertMessage(refused("request.tickett != ''"), "type error at 1:",
        "undeclared reference to 'request'");
    assertEquals(Kind.TYPE, refused("request.ticket.isEmpty()").kind());
  }

  @Test
  void aConditionThatIsNotABoolIsATypeError() {
    CelPolicyException e = refused("request.subject");
    assertEquals(Kind.TYPE, e.kind());
    assertMessage(e, "type error at 1:8: must be of type bool, was string");
  }

  @Test
  void aConditionOfTypeDynIsATypeErrorToBeComparedOrConverted() {
    CelPolicyException e = refused("request.attributes.approved");
    assertEquals(Kind.TYPE, e.kind());
    assertMessage(e, "must be of type bool, was dyn");
  }

  @Test
  void narrowingsMustAnswerADurationOrAListOfStrings() {
    CelPolicyException lifetime = refused(CelPolicy.builder()
        .narrowLifetime("short", "request.lifetime > duration('1m')"));
    assertEquals(Kind.TYPE, lifetime.kind());
    assertMessage(lifetime, "narrowing 'short' lifetime: type error",
        "must be of type google.protobuf.Duration, was bool");
    CelPolicyException scope = refused(CelPolicy.builder()
        .narrowScope("fewer", "request.scope.map(p, size(p))"));
    assertMessage(scope, "narrowing 'fewer' scope: type error", "must be of type list(string)");
  }

  @Test
  void anExpressionLongerThanMaxExpressionLengthIsRefusedBeforeItIsParsed() {
    String longer = "request.subject == '" + "x".repeat(60) + "'";
    CelPolicyException e = refused(CelPolicy.builder().maxExpressionLength(64)
        .rule("long", longer, "DENIED_BY_RULE", "words"));
    assertEquals(Kind.LIMIT, e.kind());
    assertEquals("long", e.rule());
    assertMessage(e, "rule 'long' condition: over a limit: 81 code points, more than "
        + "maxExpressionLength 64");
    // Counted in code points: 40 emoji are 80 chars but 40 code points.
    String emoji = "request.subject != '" + "\uD83D\uDE00".repeat(40) + "'";
    CelPolicy.builder().maxExpressionLength(64).rule("emoji", emoji, "DENIED_BY_RULE", "words")
        .build();
  }

  @Test
  void anExpressionWithMoreNodesThanMaxAstNodesIsRefused() {
    String many = "request.tier in ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j']";
    CelPolicyException e = refused(CelPolicy.builder().maxAstNodes(10)
        .rule("many", many, "DENIED_BY_RULE", "words"));
    assertEquals(Kind.LIMIT, e.kind());
    assertMessage(e, "rule 'many' condition: over a limit: 14 syntax tree nodes, more than "
        + "maxAstNodes 10");
  }

  @Test
  void anExpressionDeeperThanMaxAstDepthIsRefused() {
    StringBuilder deep = new StringBuilder("request.useBudget");
    for (int i = 0; i < 40; i++) {
      deep.insert(0, "(1 + ").append(')');
    }
    CelPolicyException e = refused(deep + " > 0");
    assertEquals(Kind.LIMIT, e.kind());
    assertMessage(e, "over a limit: a syntax tree 42 deep, more than maxAstDepth 32");
  }

  @Test
  void aRegexLiteralOverMaxRegexProgramSizeIsRefusedAtItsPosition() {
    CelPolicyException e = refused(CelPolicy.builder().maxRegexProgramSize(20)
        .rule("pattern", "request.subject.matches('^(ci|cd|build|deploy)-job-[0-9]{1,6}$')",
            "DENIED_BY_RULE", "words"));
    assertEquals(Kind.LIMIT, e.kind());
    assertEquals(1, e.line());
    assertEquals(25, e.column());
    assertMessage(e, "over a limit at 1:25: a regular expression that compiles to a program of "
        + "size", "more than maxRegexProgramSize 20");
  }

  @Test
  void aRegexLiteralThatDoesNotCompileIsASyntaxError() {
    CelPolicyException e = refused("matches(request.subject, '(unclosed')");
    assertEquals(Kind.SYNTAX, e.kind());
    assertMessage(e, "syntax error at 1:26: not a regular expression: missing closing )");
  }

  @Test
  void aDurationLiteralThatDoesNotParseIsASyntaxError() {
    CelPolicyException e = refused("request.lifetime <= duration('30 minutes')");
    assertEquals(Kind.SYNTAX, e.kind());
    assertEquals(30, e.column());
    assertMessage(e, "syntax error at 1:30: not a duration: '30 minutes'");
  }

  @Test
  void theBuilderRefusesMalformedNamesCodesMessagesAndExpressionsNamingTheField() {
    CelPolicy.Builder b = CelPolicy.builder();
    assertRefused(() -> b.rule("bad name", "true", "CODE", "words"), "name must be 1 to 64");
    assertRefused(() -> b.rule("ok", "true", "lower", "words"),
        "rule 'ok': reason must be an upper-case code");
    assertRefused(() -> b.rule("ok", "true", "POLICY_LIMIT", "words"),
        "rule 'ok': reason must not be POLICY_LIMIT");
    assertRefused(() -> b.rule("ok", "true", "CODE", "two\nlines"),
        "rule 'ok': message must not hold control");
    assertRefused(() -> b.rule("ok", "true", "CODE", " "), "rule 'ok': message must not be blank");
    assertRefused(() -> b.rule("ok", " ", "CODE", "words"),
        "rule 'ok': expression must not be blank");
    b.rule("ok", "true", "CODE", "words");
    assertRefused(() -> b.narrowLifetime("ok", "request.lifetime"),
        "name 'ok' is already the name of another rule or narrowing");
  }

  @Test
  void aPolicyHasAtMostOneScopeNarrowingAndAtLeastOneRule() {
    CelPolicy.Builder b = CelPolicy.builder().narrowScope("one", "request.scope");
    assertThrows(IllegalStateException.class, () -> b.narrowScope("two", "request.scope"));
    IllegalStateException empty =
        assertThrows(IllegalStateException.class, () -> CelPolicy.builder().build());
    assertEquals("a CEL policy needs at least one rule or narrowing", empty.getMessage());
  }

  @Test
  void theClockAndEachLimitMayBeSetOnceAndOnlyInRange() {
    CelPolicy.Builder b = CelPolicy.builder().clock(java.time.Clock.systemUTC())
        .maxAstDepth(10);
    assertThrows(IllegalStateException.class, () -> b.clock(java.time.Clock.systemUTC()));
    IllegalStateException twice = assertThrows(IllegalStateException.class,
        () -> b.maxAstDepth(12));
    assertEquals("maxAstDepth was already set", twice.getMessage());
    assertRefused(() -> b.maxAstNodes(0), "maxAstNodes must be in [1, 2147483647], was 0");
    assertRefused(() -> b.maxExpressionLength(100_001), "maxExpressionLength must be in");
    b.maxComprehensionIterations(0); // allows no comprehension
  }

  private static void assertRefused(Executable call, String message) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(message), "'" + message + "' in: " + e.getMessage());
  }
}
