package dev.jitaccess.policy.cel;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantRequest;
import dev.jitaccess.spi.AccessPolicy;
import dev.jitaccess.spi.PolicyDecision;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * An {@link AccessPolicy} written in CEL, the Common Expression Language: each rule is a
 * condition that must hold, and the first rule that does not hold denies with its own reason
 * code. Narrowings can then shorten the lifetime or reduce the scope of what is approved.
 *
 * <pre>{@code
 * AccessPolicy policy = CelPolicy.builder().clock(clock)
 *     .rule("ticket-required", AppliesTo.REQUESTS, "request.ticket != ''",
 *         "TICKET_REQUIRED", "a change ticket is required")
 *     .rule("office-hours", "now.getHours('UTC') >= 7 && now.getHours('UTC') < 19",
 *         "OUTSIDE_OFFICE_HOURS", "access is granted from 07:00 to 19:00 UTC")
 *     .rule("no-admin", "request.scope.all(p, !p.startsWith('admin:'))",
 *         "ADMIN_FORBIDDEN", "admin permissions are never granted just in time")
 *     .narrowLifetime("contractors-short",
 *         "request.tier == 'contractor' ? duration('15m') : request.lifetime")
 *     .build();
 * }</pre>
 *
 * <p><b>Variables.</b> Expressions read typed variables: {@code now} (a {@code timestamp}, from
 * the builder's clock, read once per decision); {@code kind} ({@code 'request'}, {@code
 * 'delegation'} or {@code 'renewal'}); {@code request.subject}, {@code .owner}, {@code .task},
 * {@code .purpose}; {@code request.scope} (a {@code list(string)} of permissions {@code
 * action:resource}, sorted) and {@code request.actions}; {@code request.lifetime} (a {@code
 * duration}: the lifetime asked for, or the extension of a renewal), {@code request.hardCap},
 * {@code request.useBudget} ({@code int}); {@code request.justification}, {@code .ticket},
 * {@code .tier}, {@code .source}, {@code request.attributes} (a {@code map(string, dyn)});
 * {@code identity.verified} ({@code bool}), {@code identity.subject}, {@code .issuer}, {@code
 * .expiresAt}, {@code identity.claims} (a {@code map(string, dyn)}); for a delegation {@code
 * parent.subject}, {@code .owner}, {@code .task}, {@code .scope}, {@code .expiresAt}; for a
 * renewal {@code grant.issuedAt}, {@code .expiresAt}, {@code .notAfter}. A variable that does not
 * apply to a decision reads as its type's zero value ({@code ''}, {@code 0}, {@code false},
 * {@code duration('0s')}, {@code timestamp(0)}, {@code []}, {@code {}}), as an unset protocol
 * buffer field does; so {@code request.hardCap == duration('0s')} means the request names no cap.
 * A renewal has no request context: its {@code request.*} fields describe the grant renewed.
 * No variable holds a grant id.
 *
 * <p><b>Compiled once.</b> {@link Builder#build()} parses, type-checks and plans every
 * expression; a syntax or type error, a result of the wrong type (a condition must be {@code
 * bool}, not {@code dyn}), or an expression over a compile-time bound throws a {@link
 * CelPolicyException} naming the rule, the expression and the line and column. Deciding only
 * evaluates.
 *
 * <p><b>Bounded.</b> CEL has no recursion; what an evaluation costs is bounded by the size of the
 * expression, the comprehensions ({@code all}, {@code exists}, {@code map}, {@code filter}) and
 * the regular expressions. At build time an expression must be at most {@code
 * maxExpressionLength} code points, {@code maxAstNodes} nodes and {@code maxAstDepth} deep, and
 * every pattern literal of {@code matches} must compile (RE2) to at most {@code
 * maxRegexProgramSize}. While deciding, one evaluation of one expression may iterate at most
 * {@code maxComprehensionIterations} times, and a pattern built from input is held to the same
 * program size and to 1,024 characters. Over a bound while deciding is a denial {@value
 * #POLICY_LIMIT}; any other evaluation error (a missing map key, a failed conversion) is a denial
 * {@value #POLICY_ERROR}. Denials of this kind name the rule and the kind of error but never
 * quote a value the expression read.
 *
 * <p>Instances are immutable and thread-safe; deciding allocates only per-decision state.
 */
public final class CelPolicy implements AccessPolicy {
  /** The denial of an expression that failed to evaluate (fail closed). */
  public static final String POLICY_ERROR = "POLICY_ERROR";
  /** The denial of an expression that went over a bound while evaluating. */
  public static final String POLICY_LIMIT = "POLICY_LIMIT";
  /** The denial of a request whose scope narrowing left no permission. */
  public static final String POLICY_EMPTY_SCOPE = "POLICY_EMPTY_SCOPE";

  /** Default {@link Builder#maxExpressionLength}, in code points. */
  public static final int DEFAULT_MAX_EXPRESSION_LENGTH = 2048;
  /** Default {@link Builder#maxAstNodes}. */
  public static final int DEFAULT_MAX_AST_NODES = 512;
  /** Default {@link Builder#maxAstDepth}. */
  public static final int DEFAULT_MAX_AST_DEPTH = 32;
  /** Default {@link Builder#maxRegexProgramSize}. */
  public static final int DEFAULT_MAX_REGEX_PROGRAM_SIZE = 256;
  /** Default {@link Builder#maxComprehensionIterations}. */
  public static final int DEFAULT_MAX_COMPREHENSION_ITERATIONS = 5_000;
  /** The most rules and narrowings, together, one policy holds. */
  public static final int MAX_RULES = 256;

  private final Clock clock;
  private final RuleSet rules;

  private CelPolicy(Clock clock, RuleSet rules) {
    this.clock = clock;
    this.rules = rules;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public PolicyDecision onRequest(GrantRequest request, @Nullable Grant parent) {
    Objects.requireNonNull(request, "request must not be null");
    return rules.decide(Variables.ofRequest(request, parent, clock.instant()), request.scope(),
        request.ttl().lifetime());
  }

  @Override
  public PolicyDecision onRenewal(Grant grant, Duration extension) {
    Objects.requireNonNull(grant, "grant must not be null");
    Objects.requireNonNull(extension, "extension must not be null");
    return rules.decide(Variables.ofRenewal(grant, extension, clock.instant()), null, extension);
  }

  /** The names of the rules and narrowings, and the bounds. */
  @Override
  public String toString() {
    return "CelPolicy[rules=" + rules.names() + ", " + rules.limits() + "]";
  }

  /**
   * Builds a {@link CelPolicy}. Rules and narrowings are kept in the order they are added (from
   * Java and from files alike); each other setting may be set once. {@link #build()} compiles
   * and may be called again. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable Clock clock;
    private final List<Rule> rules = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private boolean scopeNarrowed;
    private int maxExpressionLength = -1;
    private int maxAstNodes = -1;
    private int maxAstDepth = -1;
    private int maxRegexProgramSize = -1;
    private int maxComprehensionIterations = -1;

    private Builder() {}

    /** The clock {@code now} is read from (default: the system clock in UTC). */
    public Builder clock(Clock clock) {
      if (this.clock != null) {
        throw new IllegalStateException("clock was already set");
      }
      this.clock = Objects.requireNonNull(clock, "clock must not be null");
      return this;
    }

    /**
     * Adds a rule for requests and renewals; see {@link #rule(String, AppliesTo, String, String,
     * String)}.
     */
    public Builder rule(String name, String condition, String reason, String message) {
      return rule(name, AppliesTo.ALL, condition, reason, message);
    }

    /**
     * Adds a rule: a condition that must hold, else the decision is a denial with {@code reason}
     * and the detail {@code "rule 'name': message"}.
     *
     * @param name unique in the policy: 1 to 64 characters {@code [A-Za-z0-9][A-Za-z0-9_.-]*}
     * @param appliesTo when the rule is evaluated
     * @param condition a CEL expression of type {@code bool}
     * @param reason the denial's code, {@code [A-Z][A-Z0-9_]*}, at most 64 characters, not one
     *     of the codes the policy or the runtime use themselves ({@code POLICY_*})
     * @param message the denial's words for the audit trail: at most 256 characters, no control
     *     or format characters
     * @throws IllegalArgumentException naming the field and the rule broken
     */
    public Builder rule(String name, AppliesTo appliesTo, String condition, String reason,
        String message) {
      String rule = requireName(name);
      Objects.requireNonNull(appliesTo, () -> "rule '" + rule + "': appliesTo must not be null");
      Objects.requireNonNull(reason, () -> "rule '" + rule + "': reason must not be null");
      Objects.requireNonNull(message, () -> "rule '" + rule + "': message must not be null");
      requireValid(reason, "rule '" + rule + "': reason", Rule.checkReason(reason));
      requireValid(message, "rule '" + rule + "': message", Rule.checkMessage(message));
      return add(new Rule(rule, appliesTo, requireExpression(rule, condition), reason, message,
          null, null));
    }

    /**
     * Adds a narrowing of the lifetime of requests and of the extension of renewals: an
     * expression of type {@code duration}. The decision approves the shortest of what was asked
     * and what each narrowing answers; an answer of zero or less is a {@value #POLICY_ERROR}
     * denial. Narrowings are evaluated after every rule has held.
     *
     * @throws IllegalArgumentException naming the field and the rule broken
     */
    public Builder narrowLifetime(String name, String expression) {
      String rule = requireName(name);
      return add(new Rule(rule, AppliesTo.ALL, requireExpression(rule, expression), "", "",
          Rule.Narrowing.LIFETIME, null));
    }

    /**
     * Sets the narrowing of the scope of requests: an expression of type {@code list(string)}
     * (or {@code list(dyn)}, the type of {@code []}, whose elements must then be strings when it
     * is evaluated), the permissions to grant, which must be within the scope asked for (else
     * {@value #POLICY_ERROR}); an empty list is a denial {@value #POLICY_EMPTY_SCOPE}. For example
     * {@code request.scope.filter(p, !p.startsWith('delete:'))}. At most one per policy.
     *
     * @throws IllegalArgumentException naming the field and the rule broken
     * @throws IllegalStateException if the policy already has a scope narrowing
     */
    public Builder narrowScope(String name, String expression) {
      String rule = requireName(name);
      return add(new Rule(rule, AppliesTo.REQUESTS, requireExpression(rule, expression), "", "",
          Rule.Narrowing.SCOPE, null));
    }

    /**
     * Adds the rules and narrowings of a policy file (see {@code docs/policy-cel.md} for the
     * format), read as UTF-8; a file over {@value PolicyFile#MAX_FILE_BYTES} bytes is refused.
     *
     * @throws IOException if the file cannot be read
     * @throws CelPolicyException ({@link CelPolicyException.Kind#FILE}) naming the file, line,
     *     field and rule, if the file is not well-formed
     */
    public Builder rulesFrom(Path file) throws IOException {
      for (Rule rule : PolicyFile.read(file)) {
        add(rule);
      }
      return this;
    }

    /**
     * Adds the rules and narrowings of a policy file's text.
     *
     * @param sourceName the name errors give the text, such as a file name
     * @throws CelPolicyException ({@link CelPolicyException.Kind#FILE}) naming the source, line,
     *     field and rule, if the text is not well-formed
     */
    public Builder rulesFromYaml(String sourceName, String yaml) {
      for (Rule rule : PolicyFile.parse(Objects.requireNonNull(sourceName, "sourceName"),
          Objects.requireNonNull(yaml, "yaml must not be null"))) {
        add(rule);
      }
      return this;
    }

    /**
     * The most code points in one expression (default {@value #DEFAULT_MAX_EXPRESSION_LENGTH}, at
     * most 100,000).
     */
    public Builder maxExpressionLength(int codePoints) {
      maxExpressionLength = setLimit(maxExpressionLength, codePoints, 1, 100_000,
          "maxExpressionLength");
      return this;
    }

    /**
     * The most syntax tree nodes in one expression, macros expanded (default {@value
     * #DEFAULT_MAX_AST_NODES}).
     */
    public Builder maxAstNodes(int nodes) {
      maxAstNodes = setLimit(maxAstNodes, nodes, 1, Integer.MAX_VALUE, "maxAstNodes");
      return this;
    }

    /**
     * The greatest syntax tree height of one expression (default {@value #DEFAULT_MAX_AST_DEPTH},
     * at most 200).
     */
    public Builder maxAstDepth(int depth) {
      maxAstDepth = setLimit(maxAstDepth, depth, 1, 200, "maxAstDepth");
      return this;
    }

    /**
     * The largest RE2 program a regular expression may compile to (default {@value
     * #DEFAULT_MAX_REGEX_PROGRAM_SIZE}).
     */
    public Builder maxRegexProgramSize(int size) {
      maxRegexProgramSize = setLimit(maxRegexProgramSize, size, 1, Integer.MAX_VALUE,
          "maxRegexProgramSize");
      return this;
    }

    /**
     * The most comprehension iterations one evaluation of one expression may take, nested
     * comprehensions counted together (default {@value #DEFAULT_MAX_COMPREHENSION_ITERATIONS});
     * 0 allows none.
     */
    public Builder maxComprehensionIterations(int iterations) {
      maxComprehensionIterations = setLimit(maxComprehensionIterations, iterations, 0,
          Integer.MAX_VALUE, "maxComprehensionIterations");
      return this;
    }

    /**
     * Compiles every expression and builds the policy.
     *
     * @throws CelPolicyException naming the rule, the expression and the line and column, for
     *     the first expression that does not parse, does not type-check, or is over a bound
     * @throws IllegalStateException if there is no rule and no narrowing
     */
    public CelPolicy build() {
      if (rules.isEmpty()) {
        throw new IllegalStateException("a CEL policy needs at least one rule or narrowing");
      }
      Limits limits = new Limits(
          or(maxExpressionLength, DEFAULT_MAX_EXPRESSION_LENGTH),
          or(maxAstNodes, DEFAULT_MAX_AST_NODES), or(maxAstDepth, DEFAULT_MAX_AST_DEPTH),
          or(maxRegexProgramSize, DEFAULT_MAX_REGEX_PROGRAM_SIZE),
          or(maxComprehensionIterations, DEFAULT_MAX_COMPREHENSION_ITERATIONS));
      return new CelPolicy(clock == null ? Clock.systemUTC() : clock,
          new RuleSet(limits, List.copyOf(rules)));
    }

    private Builder add(Rule rule) {
      String where = rule.origin() == null ? "" : rule.origin() + ": ";
      if (!names.add(rule.name())) {
        throw new IllegalArgumentException(where + "name '" + rule.name()
            + "' is already the name of another rule or narrowing");
      }
      if (rule.narrowing() == Rule.Narrowing.SCOPE) {
        if (scopeNarrowed) {
          names.remove(rule.name());
          throw new IllegalStateException(where + "narrowing '" + rule.name()
              + "': a policy has at most one scope narrowing");
        }
        scopeNarrowed = true;
      }
      if (rules.size() >= MAX_RULES) {
        names.remove(rule.name());
        throw new IllegalStateException(where + "a policy holds at most " + MAX_RULES
            + " rules and narrowings");
      }
      rules.add(rule);
      return this;
    }

    private static String requireName(String name) {
      Objects.requireNonNull(name, "name must not be null");
      return requireValid(name, "name", Rule.checkName(name));
    }

    private static String requireExpression(String rule, String expression) {
      Objects.requireNonNull(expression, () -> "rule '" + rule + "': expression must not be null");
      return requireValid(expression, "rule '" + rule + "': expression",
          Rule.checkExpression(expression));
    }

    private static String requireValid(String value, String field, @Nullable String problem) {
      if (problem != null) {
        throw new IllegalArgumentException(field + " " + problem);
      }
      return value;
    }

    private static int setLimit(int current, int value, int min, int max, String name) {
      if (current >= 0) {
        throw new IllegalStateException(name + " was already set");
      }
      if (value < min || value > max) {
        throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], was "
            + value);
      }
      return value;
    }

    private static int or(int value, int otherwise) {
      return value >= 0 ? value : otherwise;
    }
  }
}
