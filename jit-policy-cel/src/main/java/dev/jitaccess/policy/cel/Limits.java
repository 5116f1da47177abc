package dev.jitaccess.policy.cel;

/**
 * The bounds every expression of one policy is held to: the first three and the regular
 * expression literals when the policy is built, the comprehension iterations and the regular
 * expressions built from input while it decides.
 *
 * @param maxExpressionLength the most code points in an expression's source
 * @param maxAstNodes the most nodes in its syntax tree, macros expanded
 * @param maxAstDepth the greatest height of its syntax tree
 * @param maxRegexProgramSize the largest RE2 program a regular expression may compile to
 * @param maxComprehensionIterations the most comprehension iterations in one evaluation of one
 *     expression, nested comprehensions counted together
 */
record Limits(int maxExpressionLength, int maxAstNodes, int maxAstDepth, int maxRegexProgramSize,
    int maxComprehensionIterations) {

  /**
   * The longest pattern string, in characters, a regular expression built at evaluation time may
   * have before it is compiled: as long as the longest string a request may carry.
   */
  static final int MAX_PATTERN_LENGTH = 1024;

  @Override
  public String toString() {
    return "maxExpressionLength=" + maxExpressionLength + ", maxAstNodes=" + maxAstNodes
        + ", maxAstDepth=" + maxAstDepth + ", maxRegexProgramSize=" + maxRegexProgramSize
        + ", maxComprehensionIterations=" + maxComprehensionIterations;
  }
}
