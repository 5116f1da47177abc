package dev.jitaccess.policy.cel;

import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A rule as written: a condition that must hold, and the denial when it does not; or, with a
 * {@link Narrowing} target, an expression that narrows what is granted.
 *
 * @param name unique within the policy
 * @param appliesTo when the rule is evaluated
 * @param expression the CEL source
 * @param reason the denial's reason code (rules only)
 * @param message the denial's words (rules only)
 * @param narrowing what the expression narrows, or null for a rule
 * @param origin where it was written (file, line and column), or null if built in Java
 */
record Rule(String name, AppliesTo appliesTo, String expression, String reason, String message,
    @Nullable Narrowing narrowing, @Nullable String origin) {

  /** What a narrowing narrows. */
  enum Narrowing {
    /** The lifetime of a request or the extension of a renewal: a {@code duration}. */
    LIFETIME,
    /** The scope of a request: a {@code list(string)} of permissions. */
    SCOPE
  }

  static final int MAX_NAME_LENGTH = 64;
  static final int MAX_MESSAGE_LENGTH = 256;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
  private static final Pattern REASON = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
  /** The codes the policy and the runtime deny with themselves. */
  static final Set<String> RESERVED_REASONS = Set.of(CelPolicy.POLICY_ERROR,
      CelPolicy.POLICY_LIMIT, CelPolicy.POLICY_EMPTY_SCOPE, "POLICY_FAILURE", "POLICY_WIDENED");

  /** The problem with a rule or narrowing name, or null if it is well-formed. */
  static @Nullable String checkName(String name) {
    if (!NAME.matcher(name).matches()) {
      return "must be 1 to " + MAX_NAME_LENGTH + " characters [A-Za-z0-9][A-Za-z0-9_.-]*, was '"
          + shorten(name) + "'";
    }
    return null;
  }

  /** The problem with a reason code, or null if it is well-formed. */
  static @Nullable String checkReason(String reason) {
    if (!REASON.matcher(reason).matches()) {
      return "must be an upper-case code of 1 to 64 characters [A-Z][A-Z0-9_]* such as "
          + "TICKET_REQUIRED, was '" + shorten(reason) + "'";
    }
    if (RESERVED_REASONS.contains(reason)) {
      return "must not be " + reason + ", which the policy and the runtime deny with themselves";
    }
    return null;
  }

  /** The problem with a denial message, or null if it is well-formed. */
  static @Nullable String checkMessage(String message) {
    if (message.isBlank()) {
      return "must not be blank";
    }
    if (message.length() > MAX_MESSAGE_LENGTH) {
      return "must be at most " + MAX_MESSAGE_LENGTH + " characters, was " + message.length();
    }
    for (int i = 0; i < message.length(); i++) {
      char c = message.charAt(i);
      if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
          || Character.getType(c) == Character.FORMAT) {
        return "must not hold control, line separator or format characters (at index " + i + ")";
      }
    }
    return null;
  }

  /** The problem with an expression's text, or null if it is not blank. */
  static @Nullable String checkExpression(String expression) {
    return expression.isBlank() ? "must not be blank" : null;
  }

  private static String shorten(String text) {
    String s = text.length() <= MAX_NAME_LENGTH + 8 ? text : text.substring(0, MAX_NAME_LENGTH)
        + "...";
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      b.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? '?' : c);
    }
    return b.toString();
  }
}
