package dev.jitaccess.policy.cel;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.runtime.CelFunctionBinding;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * CEL's {@code matches} for one policy, in place of the standard one: RE2 (linear time, no
 * backtracking), a partial match as the CEL specification says, and bounded.
 *
 * <p>The pattern literals of the policy's expressions are compiled and checked once, when the
 * policy is built, and looked up when they are used. A pattern built while deciding (from input)
 * is compiled on use and must be at most {@value Limits#MAX_PATTERN_LENGTH} characters long and
 * compile to a program of at most the policy's {@code maxRegexProgramSize}; otherwise the call
 * throws {@link OverLimit}, which the policy turns into a {@code POLICY_LIMIT} denial.
 *
 * <p>Thread-safe: the literals are added while the policy is built, before it is published, and
 * only read afterwards.
 */
final class Regexes {
  private final int maxProgramSize;
  private final Map<String, Pattern> literals = new ConcurrentHashMap<>();

  Regexes(int maxProgramSize) {
    this.maxProgramSize = maxProgramSize;
  }

  /** The bindings of {@code matches(string, string)} and {@code string.matches(string)}. */
  Iterable<CelFunctionBinding> bindings() {
    return CelFunctionBinding.fromOverloads("matches",
        CelFunctionBinding.from("matches", String.class, String.class, this::matches),
        CelFunctionBinding.from("matches_string", String.class, String.class, this::matches));
  }

  /**
   * Compiles and keeps a pattern literal of an expression.
   *
   * @return null if it compiles within the bound, otherwise why not
   */
  @Nullable Problem addLiteral(String regex) {
    Pattern pattern;
    try {
      pattern = Pattern.compile(regex);
    } catch (PatternSyntaxException e) {
      return new Problem(false, "not a regular expression: " + e.getDescription());
    }
    if (pattern.programSize() > maxProgramSize) {
      return new Problem(true, "a regular expression that compiles to a program of size "
          + pattern.programSize() + ", more than maxRegexProgramSize " + maxProgramSize);
    }
    literals.put(regex, pattern);
    return null;
  }

  /** Why a literal was refused. */
  record Problem(boolean overLimit, String message) {}

  private boolean matches(String input, String regex) {
    Pattern pattern = literals.get(regex);
    if (pattern == null) {
      pattern = compileBounded(regex);
    }
    return pattern.matcher(input).find();
  }

  private Pattern compileBounded(String regex) {
    if (regex.length() > Limits.MAX_PATTERN_LENGTH) {
      throw new OverLimit("a regular expression built while deciding is " + regex.length()
          + " characters long, more than " + Limits.MAX_PATTERN_LENGTH);
    }
    Pattern pattern = Pattern.compile(regex); // a PatternSyntaxException is an evaluation error
    if (pattern.programSize() > maxProgramSize) {
      throw new OverLimit("a regular expression built while deciding compiles to a program of "
          + "size " + pattern.programSize() + ", more than maxRegexProgramSize " + maxProgramSize);
    }
    return pattern;
  }

  /** A regular expression over a bound, built while deciding. Carries no stack trace. */
  static final class OverLimit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OverLimit(String message) {
      super(message, null, false, false);
    }
  }
}
