package dev.jitaccess.policy.cel;

import static dev.jitaccess.policy.cel.Fixtures.NOW;
import static dev.jitaccess.policy.cel.Fixtures.grant;
import static dev.jitaccess.policy.cel.Fixtures.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.GrantRequest;
import dev.jitaccess.RequestContext;
import dev.jitaccess.Scope;
import dev.jitaccess.policy.cel.CelPolicyException.Kind;
import dev.jitaccess.spi.PolicyDecision;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy files: read strictly, every mistake named by line, field and rule. */
class PolicyFileTest {
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final String POLICY = """
      # The deploy policy.
      version: 1
      rules:
        - name: ticket-required
          appliesTo: requests
          condition: request.ticket != ''
          reason: TICKET_REQUIRED
          message: a change ticket is required
        - name: no-admin
          condition: >-
            request.scope.all(p,
              !p.startsWith('admin:'))
          reason: ADMIN_FORBIDDEN
          message: "admin permissions are never granted just in time"
      narrowings:
        - name: contractors-short
          lifetime: "request.tier == 'contractor' ? duration('3m') : request.lifetime"
        - name: no-delete
          scope: "request.scope.filter(p, !p.startsWith('delete:'))"
      """;

  @TempDir
  Path dir;

  private static GrantRequest withContext(RequestContext context, String... scope) {
    return request().scope(scope).context(context).build();
  }

  @Test
  void aPolicyFileDecidesAsItsRulesAndNarrowingsSay() {
    CelPolicy policy = CelPolicy.builder().clock(CLOCK).rulesFromYaml("deploy.yaml", POLICY)
        .build();
    assertEquals("CelPolicy[rules=[ticket-required, no-admin, contractors-short, no-delete], "
        + "maxExpressionLength=2048, maxAstNodes=512, maxAstDepth=32, maxRegexProgramSize=256, "
        + "maxComprehensionIterations=5000]", policy.toString());
    RequestContext ticket = RequestContext.builder().ticket("CHG-1").build();
    assertEquals("TICKET_REQUIRED", policy.onRequest(request().build(), null).reason());
    assertEquals("ADMIN_FORBIDDEN",
        policy.onRequest(withContext(ticket, "admin:users"), null).reason());
    assertTrue(policy.onRenewal(grant("admin:users", NOW, Duration.ofMinutes(5),
        Duration.ofHours(1)), Duration.ofMinutes(5)).reason().equals("ADMIN_FORBIDDEN"),
        "no-admin applies to renewals too");
    PolicyDecision narrowed = policy.onRequest(withContext(ticket.toBuilder().tier("contractor")
        .build(), "read:orders/*", "delete:orders/*"), null);
    assertEquals(Scope.parse("read:orders/*"), narrowed.narrowedScope());
    assertEquals(Duration.ofMinutes(3), narrowed.narrowedDuration());
  }

  @Test
  void rulesFromReadsAFileAndAddsToTheRulesBuiltInJava() throws IOException {
    Path file = Files.writeString(dir.resolve("deploy.yaml"), POLICY);
    CelPolicy policy = CelPolicy.builder().clock(CLOCK)
        .rule("ci-only", "request.subject.startsWith('ci-')", "NOT_CI", "only CI jobs")
        .rulesFrom(file).build();
    assertTrue(policy.toString().startsWith("CelPolicy[rules=[ci-only, ticket-required,"));
    assertEquals("NOT_CI", policy.onRequest(request().subject("alice").build(), null).reason());
  }

  private static CelPolicyException refused(String yaml) {
    return assertThrows(CelPolicyException.class,
        () -> CelPolicy.builder().rulesFromYaml("policy.yaml", yaml));
  }

  private static void assertRefused(String yaml, @Nullable String rule, int line,
      String message) {
    CelPolicyException e = refused(yaml);
    assertEquals(Kind.FILE, e.kind(), e.getMessage());
    assertEquals(rule, e.rule(), e.getMessage());
    assertEquals(line, e.line(), e.getMessage());
    assertTrue(e.getMessage().startsWith("policy.yaml:" + line + ":"), e.getMessage());
    assertTrue(e.getMessage().contains(message), "'" + message + "' in: " + e.getMessage());
  }

  private static final String RULE = """
      version: 1
      rules:
        - name: ticket-required
          condition: request.ticket != ''
          reason: TICKET_REQUIRED
          message: a change ticket is required
      """;

  @Test
  void anUnknownKeyIsRefusedNamingItAndTheKeysThereAre() {
    assertRefused(RULE.replace("reason:", "reasn:"), null, 5,
        "rules[0] has an unknown key 'reasn'; the keys are appliesTo, condition, message, name, "
            + "reason");
    assertRefused(RULE + "extra: true\n", null, 7, "the file has an unknown key 'extra'");
  }

  @Test
  void aDuplicateKeyIsRefused() {
    assertRefused(RULE + "    condition: 'true'\n", null, 7,
        "rules[0] has the key 'condition' twice");
    assertRefused(RULE + "version: 1\n", null, 7, "the file has the key 'version' twice");
  }

  @Test
  void aMissingFieldIsRefusedNamingTheFieldAndTheRule() {
    assertRefused(RULE.replace("    reason: TICKET_REQUIRED\n", ""), "ticket-required", 3,
        "rules[0] (rule 'ticket-required') is missing the field 'reason'");
    assertRefused(RULE.replace("version: 1\n", ""), null, 1,
        "the file is missing the field 'version'");
    assertRefused("version: 1\n", null, 1, "the file is missing the field 'rules'");
  }

  @Test
  void aValueOfTheWrongKindOrMalformedIsRefusedNamingTheFieldAndTheRule() {
    assertRefused(RULE.replace("TICKET_REQUIRED", "ticket required"), "ticket-required", 5,
        "rules[0].reason (rule 'ticket-required') must be an upper-case code");
    assertRefused(RULE.replace("a change ticket is required", "[a, list]"), "ticket-required",
        6, "rules[0].message (rule 'ticket-required') must be a string, was a list");
    assertRefused(RULE.replace("a change ticket is required", ""), "ticket-required", 6,
        "rules[0].message (rule 'ticket-required') must be a string, was empty");
    assertRefused(RULE.replace("version: 1", "version: 2"), null, 1, "version must be 1, was '2'");
    assertRefused("version: 1\nrules: {}\n", null, 2, "rules must be a list, was a mapping");
    assertRefused(RULE.replace("ticket-required", "ticket required"), null, 3,
        "rules[0].name must be 1 to 64 characters");
  }

  @Test
  void scalarsAreReadAsWrittenSoYamlBooleansAreNotBooleans() {
    assertRefused(RULE.replace("    condition:", "    appliesTo: yes\n    condition:"),
        "ticket-required", 4, "rules[0].appliesTo must be requests, renewals or all, was 'yes'");
    PolicyDecision d = CelPolicy.builder().clock(CLOCK)
        .rulesFromYaml("policy.yaml", RULE.replace("a change ticket is required", "no"))
        .build().onRequest(request().build(), null);
    assertEquals("rule 'ticket-required': no", d.detail());
  }

  @Test
  void aRuleNameUsedTwiceIsRefusedNamingTheFirstLine() {
    String twice = RULE + """
          - name: ticket-required
            condition: "true"
            reason: OTHER
            message: other
        """;
    assertRefused(twice, "ticket-required", 7,
        "rules[1].name 'ticket-required' is already the name of the rule or narrowing at line 3");
  }

  @Test
  void aNarrowingMustHaveExactlyOneOfLifetimeAndScope() {
    assertRefused(RULE + """
        narrowings:
          - name: both
            lifetime: duration('1m')
            scope: request.scope
        """, "both", 8, "narrowings[0] (narrowing 'both') must have exactly one of the fields "
        + "lifetime and scope");
  }

  @Test
  void anAliasBombIsRefusedBeforeAnythingIsExpanded() {
    String bomb = """
        version: 1
        a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
        rules: [*d, *d, *d, *d, *d, *d, *d, *d, *d]
        """;
    assertRefused(bomb, null, 2, "anchors and aliases are not allowed (the anchor &a)");
  }

  @Test
  void anyAnchorOrAliasIsRefused() {
    String alias = RULE.replace("message: a change ticket is required",
        "message: &m a change ticket is required") + """
          - name: other
            condition: "true"
            reason: OTHER
            message: *m
        """;
    assertRefused(alias, null, 6, "anchors and aliases are not allowed (the anchor &m)");
    assertRefused(RULE.replace("- name:", "- &r\n    name:"), null, 3,
        "anchors and aliases are not allowed (the anchor &r)");
  }

  @Test
  void explicitTagsAreRefused() {
    assertRefused(RULE.replace("condition: request", "condition: !!binary request"),
        "ticket-required", 4, "rules[0].condition (rule 'ticket-required') must be a string, "
            + "was a value tagged tag:yaml.org,2002:binary");
    assertRefused(RULE.replace("rules:\n", "rules: !custom\n"), null, 2,
        "rules: explicit tags are not allowed");
  }

  @Test
  void moreThanOneDocumentOrNoneIsRefused() {
    CelPolicyException two = refused(RULE + "---\n" + RULE);
    assertEquals(Kind.FILE, two.kind());
    assertTrue(two.getMessage().contains("not a single well-formed YAML document"),
        two.getMessage());
    assertRefused("# nothing\n", null, 1, "the file is empty");
    assertRefused("version: [1\n", null, 2, "not a single well-formed YAML document");
  }

  @Test
  void nestingDeeperThanEightLevelsIsRefused() {
    CelPolicyException e = refused("version: 1\nrules: " + "[".repeat(20) + "]".repeat(20)
        + "\n");
    assertEquals(Kind.FILE, e.kind());
    assertTrue(e.getMessage().startsWith("policy.yaml:"), e.getMessage());
    assertTrue(e.getMessage().contains("Nesting Depth exceeded max 8"), e.getMessage());
  }

  @Test
  void aFileOverTheSizeLimitOrNotUtf8IsRefusedBeforeItIsParsed() throws IOException {
    String big = RULE + "# " + "x".repeat(PolicyFile.MAX_FILE_BYTES) + "\n";
    CelPolicyException text = refused(big);
    assertTrue(text.getMessage().startsWith("policy.yaml: the text is "), text.getMessage());
    Path file = Files.writeString(dir.resolve("big.yaml"), big);
    CelPolicyException e = assertThrows(CelPolicyException.class,
        () -> CelPolicy.builder().rulesFrom(file));
    assertEquals("big.yaml: the file is " + Files.size(file) + " bytes, over the limit of "
        + PolicyFile.MAX_FILE_BYTES, e.getMessage());
    byte[] latin1 =
        RULE.replace("a change", "une \u00e9tape").getBytes(StandardCharsets.ISO_8859_1);
    Path notUtf8 = Files.write(dir.resolve("latin1.yaml"), latin1);
    assertEquals("latin1.yaml: the file is not UTF-8", assertThrows(CelPolicyException.class,
        () -> CelPolicy.builder().rulesFrom(notUtf8)).getMessage());
  }

  @Test
  void anExpressionThatDoesNotCompileIsPlacedInTheFileAndInTheExpression() {
    CelPolicy.Builder b = CelPolicy.builder()
        .rulesFromYaml("policy.yaml", RULE.replace("request.ticket != ''", "request.ticket !="));
    CelPolicyException e = assertThrows(CelPolicyException.class, b::build);
    assertEquals(Kind.SYNTAX, e.kind());
    assertEquals("ticket-required", e.rule());
    assertTrue(e.getMessage().startsWith("policy.yaml:4:16: rule 'ticket-required' condition: "
        + "syntax error at 1:"), e.getMessage());
  }
}
