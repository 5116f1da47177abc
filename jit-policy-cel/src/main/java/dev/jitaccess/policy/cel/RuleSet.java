package dev.jitaccess.policy.cel;

import dev.cel.common.CelErrorCode;
import dev.cel.common.types.ListType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;
import dev.jitaccess.Scope;
import dev.jitaccess.spi.PolicyDecision;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The compiled rules and narrowings of a policy, and how they decide: every rule that applies
 * must hold, in order, and the first that does not denies with its reason code; then the
 * narrowings narrow what is approved. An evaluation over a bound denies with {@code
 * POLICY_LIMIT}, any other evaluation error with {@code POLICY_ERROR} (fail closed).
 *
 * <p>Immutable and thread-safe.
 */
final class RuleSet {
  /** One compiled rule or narrowing, and the denial it answers when it does not hold. */
  private record Compiled(Rule rule, Program program, @Nullable PolicyDecision denial) {
    String what() {
      return (rule.narrowing() == null ? "rule '" : "narrowing '") + rule.name() + "'";
    }
  }

  private final Limits limits;
  private final Compiled[] requestRules;
  private final Compiled[] renewalRules;
  private final Compiled[] lifetimeNarrowings;
  private final @Nullable Compiled scopeNarrowing;
  private final List<String> names;

  /**
   * Compiles every rule and narrowing.
   *
   * @throws CelPolicyException for the first that does not compile or is over a bound
   */
  RuleSet(Limits limits, List<Rule> rules) {
    this.limits = limits;
    Environment env = new Environment(limits);
    List<Compiled> requests = new ArrayList<>();
    List<Compiled> renewals = new ArrayList<>();
    List<Compiled> lifetimes = new ArrayList<>();
    Compiled scope = null;
    for (Rule rule : rules) {
      Rule.Narrowing narrowing = rule.narrowing();
      if (narrowing == null) {
        Compiled c = new Compiled(rule,
            env.compile(source(rule, "condition"), SimpleType.BOOL, null),
            PolicyDecision.deny(rule.reason(), "rule '" + rule.name() + "': " + rule.message()));
        if (rule.appliesTo().requests()) {
          requests.add(c);
        }
        if (rule.appliesTo().renewals()) {
          renewals.add(c);
        }
      } else if (narrowing == Rule.Narrowing.LIFETIME) {
        lifetimes.add(new Compiled(rule,
            env.compile(source(rule, "lifetime"), SimpleType.DURATION, null), null));
      } else {
        // list(dyn) too, the type of [] and of lists built from dyn values: its elements are
        // checked to be strings when it is evaluated.
        scope = new Compiled(rule, env.compile(source(rule, "scope"),
            ListType.create(SimpleType.STRING), ListType.create(SimpleType.DYN)), null);
      }
    }
    this.requestRules = requests.toArray(new Compiled[0]);
    this.renewalRules = renewals.toArray(new Compiled[0]);
    this.lifetimeNarrowings = lifetimes.toArray(new Compiled[0]);
    this.scopeNarrowing = scope;
    this.names = rules.stream().map(Rule::name).toList();
  }

  private static Environment.Source source(Rule rule, String part) {
    return new Environment.Source(rule.name(), part, rule.expression(), rule.origin());
  }

  /**
   * Decides a request ({@code asked} is its scope) or a renewal ({@code asked} is null).
   *
   * @param askedDuration the lifetime of a request, the extension of a renewal
   */
  PolicyDecision decide(Variables vars, @Nullable Scope asked, Duration askedDuration) {
    for (Compiled rule : asked == null ? renewalRules : requestRules) {
      Object result;
      try {
        result = rule.program().eval(vars);
      } catch (CelEvaluationException e) {
        return failed(rule, e);
      } catch (RuntimeException e) {
        return error(rule, e.getClass().getSimpleName());
      }
      if (!Boolean.TRUE.equals(result)) {
        return Boolean.FALSE.equals(result) ? rule.denial()
            : error(rule, "answered " + typeOf(result) + ", not a bool");
      }
    }
    Duration duration = askedDuration;
    for (Compiled narrowing : lifetimeNarrowings) {
      Object result;
      try {
        result = narrowing.program().eval(vars);
      } catch (CelEvaluationException e) {
        return failed(narrowing, e);
      } catch (RuntimeException e) {
        return error(narrowing, e.getClass().getSimpleName());
      }
      if (!(result instanceof Duration)) {
        return error(narrowing, "answered " + typeOf(result) + ", not a duration");
      }
      Duration d = (Duration) result;
      if (d.isNegative() || d.isZero()) {
        return error(narrowing, "answered a lifetime of " + d + ", which must be > 0");
      }
      if (d.compareTo(duration) < 0) {
        duration = d;
      }
    }
    Scope scope = null;
    if (asked != null && scopeNarrowing != null) {
      Object result;
      try {
        result = scopeNarrowing.program().eval(vars);
      } catch (CelEvaluationException e) {
        return failed(scopeNarrowing, e);
      } catch (RuntimeException e) {
        return error(scopeNarrowing, e.getClass().getSimpleName());
      }
      Object narrowed = narrowScope(scopeNarrowing, result, asked);
      if (narrowed instanceof PolicyDecision) {
        return (PolicyDecision) narrowed;
      }
      scope = (Scope) narrowed;
    }
    boolean shorter = duration.compareTo(askedDuration) < 0;
    return scope == null && !shorter ? PolicyDecision.approve()
        : PolicyDecision.approveNarrowed(scope, shorter ? duration : null);
  }

  /** The narrowed scope, null if the same as asked, or a denial. */
  private static @Nullable Object narrowScope(Compiled narrowing, Object result, Scope asked) {
    if (!(result instanceof List)) {
      return error(narrowing, "answered " + typeOf(result) + ", not a list(string)");
    }
    List<?> list = (List<?>) result;
    if (list.isEmpty()) {
      return PolicyDecision.deny(CelPolicy.POLICY_EMPTY_SCOPE, "narrowing '"
          + narrowing.rule().name() + "' left no permission of the scope asked for");
    }
    String[] permissions = new String[list.size()];
    for (int i = 0; i < permissions.length; i++) {
      if (!(list.get(i) instanceof String)) {
        return error(narrowing, "answered a list holding " + typeOf(list.get(i)));
      }
      permissions[i] = (String) list.get(i);
    }
    Scope scope;
    try {
      scope = Scope.parse(permissions);
    } catch (IllegalArgumentException e) {
      return error(narrowing, "answered a permission that is not well-formed");
    }
    if (!scope.isWithin(asked)) {
      return error(narrowing, "answered a scope not within the one asked for");
    }
    return scope.equals(asked) ? null : scope;
  }

  private PolicyDecision failed(Compiled rule, CelEvaluationException e) {
    if (e.getErrorCode() == CelErrorCode.ITERATION_BUDGET_EXCEEDED) {
      return PolicyDecision.deny(CelPolicy.POLICY_LIMIT, rule.what() + " went over the limit "
          + "maxComprehensionIterations " + limits.maxComprehensionIterations() + "; denied");
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof Literals.OverLimit) {
        return PolicyDecision.deny(CelPolicy.POLICY_LIMIT,
            rule.what() + ": " + t.getMessage() + "; denied");
      }
    }
    return error(rule, e.getErrorCode().name());
  }

  /**
   * A POLICY_ERROR denial. The words name the rule and the kind of error but never quote a value
   * the expression read, so that no input (a claim, say) reaches the audit trail this way.
   */
  private static PolicyDecision error(Compiled rule, String what) {
    return PolicyDecision.deny(CelPolicy.POLICY_ERROR, rule.what() + " could not be evaluated ("
        + what + "); denied, fail closed");
  }

  private static String typeOf(@Nullable Object value) {
    return value == null ? "null" : "a " + value.getClass().getSimpleName();
  }

  Limits limits() {
    return limits;
  }

  /** The names of the rules and narrowings, in the order they were added. */
  List<String> names() {
    return names;
  }
}
