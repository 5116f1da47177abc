package dev.jitaccess.policy.cel;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A CEL policy that cannot be built: an expression that does not parse, does not type-check, or
 * is over one of the compile-time bounds, or a policy file that is not well-formed. The message
 * names the rule (or narrowing), the expression, and the line and column of the problem, for
 * example {@code rule 'ticket-required' condition: syntax error at 1:27: mismatched input
 * '<EOF>' ... in `request.ticket != '' &&`}; for a file, it begins with the file's name, line and
 * column.
 *
 * <p>Thrown by {@link CelPolicy.Builder#build()} and by the builder's file loaders, never while a
 * policy decides. Immutable and thread-safe.
 */
public final class CelPolicyException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** What is wrong. */
  public enum Kind {
    /** The expression does not parse, or a regular expression literal in it does not compile. */
    SYNTAX,
    /**
     * The expression does not type-check: an unknown variable or function, operands of the wrong
     * types, or a result other than the one required (bool for a condition).
     */
    TYPE,
    /**
     * The expression is over a compile-time bound: source length, AST node count, AST depth, or
     * the program size of a regular expression literal.
     */
    LIMIT,
    /** The policy file is not well-formed: see the message for the field and the rule. */
    FILE
  }

  private final Kind kind;
  private final @Nullable String rule;
  private final int line;
  private final int column;

  CelPolicyException(Kind kind, @Nullable String rule, int line, int column, String message) {
    super(Objects.requireNonNull(message, "message"));
    this.kind = Objects.requireNonNull(kind, "kind");
    this.rule = rule;
    this.line = line;
    this.column = column;
  }

  /** What is wrong. */
  public Kind kind() {
    return kind;
  }

  /** The name of the rule or narrowing concerned, or null if the problem is not in one. */
  public @Nullable String rule() {
    return rule;
  }

  /**
   * The line of the problem, from 1: in the expression for {@link Kind#SYNTAX}, {@link Kind#TYPE}
   * and {@link Kind#LIMIT}, in the file for {@link Kind#FILE}; 0 if unknown.
   */
  public int line() {
    return line;
  }

  /** The column of the problem, from 1, where {@link #line()} counts; 0 if unknown. */
  public int column() {
    return column;
  }
}
