package dev.jitaccess.policy.cel;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.RuntimeHelpers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The functions of one policy whose literal arguments are compiled once, when the policy is
 * built, in place of CEL's standard ones: {@code matches} and {@code duration(string)}.
 *
 * <p>{@code matches} is RE2 (linear time, no backtracking), a partial match as the CEL
 * specification says, and bounded. Its pattern literals are compiled and checked once and looked
 * up when used. A pattern built while deciding (from input) is compiled on use and must be at
 * most {@value Limits#MAX_PATTERN_LENGTH} characters long and compile to a program of at most
 * the policy's {@code maxRegexProgramSize}; otherwise the call throws {@link OverLimit}, which the
 * policy turns into a {@code POLICY_LIMIT} denial.
 *
 * <p>{@code duration(string)} parses as CEL's does; its literals ({@code duration('30m')}) are
 * parsed once, so that a malformed one is a compile error and a well-formed one costs a lookup.
 *
 * <p>Thread-safe: the literals are added while the policy is built, before it is published, and
 * only read afterwards.
 */
final class Literals {
  private final int maxProgramSize;
  private final Map<String, Pattern> regexes = new ConcurrentHashMap<>();
  private final Map<String, Duration> durations = new ConcurrentHashMap<>();

  Literals(int maxProgramSize) {
    this.maxProgramSize = maxProgramSize;
  }

  /** The bindings of {@code matches} (both forms) and {@code duration}. */
  List<CelFunctionBinding> bindings() {
    List<CelFunctionBinding> bindings = new ArrayList<>();
    bindings.addAll(CelFunctionBinding.fromOverloads("matches",
        CelFunctionBinding.from("matches", String.class, String.class, this::matches),
        CelFunctionBinding.from("matches_string", String.class, String.class, this::matches)));
    bindings.addAll(CelFunctionBinding.fromOverloads("duration",
        CelFunctionBinding.from("duration_to_duration", Duration.class, (Duration d) -> d),
        CelFunctionBinding.from("string_to_duration", String.class, this::duration)));
    return bindings;
  }

  /**
   * Parses and keeps a duration literal of an expression.
   *
   * @return null if it parses, otherwise why not
   */
  @Nullable String addDuration(String text) {
    try {
      durations.put(text, RuntimeHelpers.createJavaDurationFromString(text));
      return null;
    } catch (IllegalArgumentException e) {
      return "not a duration: '" + text + "'";
    }
  }

  private Duration duration(String text) {
    Duration d = durations.get(text);
    return d != null ? d : RuntimeHelpers.createJavaDurationFromString(text);
  }

  /**
   * Compiles and keeps a pattern literal of an expression.
   *
   * @return null if it compiles within the bound, otherwise why not
   */
  @Nullable Problem addRegex(String regex) {
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
    regexes.put(regex, pattern);
    return null;
  }

  /** Why a literal was refused. */
  record Problem(boolean overLimit, String message) {}

  private boolean matches(String input, String regex) {
    Pattern pattern = regexes.get(regex);
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
