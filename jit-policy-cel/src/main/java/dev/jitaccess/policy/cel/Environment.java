package dev.jitaccess.policy.cel;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSource;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.ExprKind;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypes;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerBuilder;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import dev.cel.runtime.CelStandardFunctions;
import dev.cel.runtime.CelStandardFunctions.StandardFunction;
import dev.cel.runtime.Program;
import dev.jitaccess.policy.cel.CelPolicyException.Kind;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The CEL compiler and runtime of one policy: the variables of {@link Variables}, the standard
 * functions and macros, CEL's current options, the comprehension iteration limit, a bounded
 * {@code matches} and literals compiled once ({@link Literals}). {@link #compile} turns one
 * expression into a program, or throws a {@link CelPolicyException} naming the rule, the
 * expression and the position.
 *
 * <p>Thread-safe once built; used to compile only while its policy is built.
 */
final class Environment {
  private static final int MAX_QUOTED = 160;

  private final Limits limits;
  private final Literals literals;
  private final CelCompiler compiler;
  private final CelRuntime runtime;

  Environment(Limits limits) {
    this.limits = limits;
    this.literals = new Literals(limits.maxRegexProgramSize());
    CelOptions options = CelOptions.current()
        .maxExpressionCodePointSize(limits.maxExpressionLength())
        .comprehensionMaxIterations(limits.maxComprehensionIterations())
        .maxRegexProgramSize(limits.maxRegexProgramSize())
        // The planner runtime requires it; int, uint and double compare as numbers.
        .enableHeterogeneousNumericComparisons(true)
        .build();
    CelCompilerBuilder compilerBuilder = CelCompilerFactory.standardCelCompilerBuilder()
        .setOptions(options)
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS);
    for (Map.Entry<String, CelType> v : Variables.DECLARATIONS.entrySet()) {
      compilerBuilder.addVar(v.getKey(), v.getValue());
    }
    this.compiler = compilerBuilder.build();
    this.runtime = CelRuntimeFactory.plannerRuntimeBuilder()
        .setOptions(options)
        .setStandardFunctions(CelStandardFunctions.newBuilder()
            .excludeFunctions(StandardFunction.MATCHES, StandardFunction.DURATION).build())
        .addFunctionBindings(literals.bindings())
        .build();
  }

  Limits limits() {
    return limits;
  }

  /** What to compile, and for the messages, whose it is and where it came from. */
  record Source(String rule, String part, String expression, @Nullable String origin) {
    String describe() {
      return (origin == null ? "" : origin + ": ")
          + (part.equals("condition") ? "rule '" : "narrowing '") + rule + "' " + part;
    }
  }

  /**
   * Compiles an expression whose result must be of type {@code expected}, or {@code alsoAccepted}
   * if not null.
   *
   * @throws CelPolicyException naming the rule, the expression and the position of the problem
   */
  Program compile(Source source, CelType expected, @Nullable CelType alsoAccepted) {
    String expression = source.expression();
    int length = expression.codePointCount(0, expression.length());
    if (length > limits.maxExpressionLength()) {
      throw error(Kind.LIMIT, source, 0, 0, "over a limit: " + length + " code points, more "
          + "than maxExpressionLength " + limits.maxExpressionLength());
    }
    CelValidationResult parsed = compiler.parse(expression, source.rule());
    if (parsed.hasError()) {
      throw issue(Kind.SYNTAX, source, parsed.getErrors(), "syntax error");
    }
    CelAbstractSyntaxTree ast = astOf(parsed);
    CelNavigableExpr root = CelNavigableAst.fromAst(ast).getRoot();
    long nodes = root.allNodes().count();
    if (nodes > limits.maxAstNodes()) {
      throw error(Kind.LIMIT, source, 0, 0, "over a limit: " + nodes + " syntax tree nodes, "
          + "more than maxAstNodes " + limits.maxAstNodes());
    }
    if (root.height() > limits.maxAstDepth()) {
      throw error(Kind.LIMIT, source, 0, 0, "over a limit: a syntax tree " + root.height()
          + " deep, more than maxAstDepth " + limits.maxAstDepth());
    }
    CelValidationResult checked = compiler.check(ast);
    if (checked.hasError()) {
      throw issue(Kind.TYPE, source, checked.getErrors(), "type error");
    }
    CelAbstractSyntaxTree checkedAst = astOf(checked);
    CelType type = checkedAst.getResultType();
    if (!type.equals(expected) && !type.equals(alsoAccepted)) {
      int[] at = position(checkedAst.getSource(), checkedAst.getExpr().id());
      throw error(Kind.TYPE, source, at[0], at[1], "type error at " + at[0] + ":" + at[1]
          + ": must be of type " + CelTypes.format(expected) + ", was "
          + CelTypes.format(type));
    }
    checkLiterals(source, checkedAst);
    try {
      return runtime.createProgram(checkedAst);
    } catch (CelEvaluationException e) {
      throw error(Kind.TYPE, source, 0, 0, "cannot be planned: " + e.getMessage());
    }
  }

  /**
   * Compiles the pattern literals of {@code matches} and the literals of {@code duration}, so
   * that each is checked once, here, and costs a lookup while deciding.
   */
  private void checkLiterals(Source source, CelAbstractSyntaxTree ast) {
    List<CelExpr.CelCall> calls = CelNavigableAst.fromAst(ast).getRoot().allNodes()
        .filter(n -> n.expr().exprKind().getKind() == ExprKind.Kind.CALL)
        .map(n -> n.expr().call())
        .filter(c -> c.function().equals("matches") || c.function().equals("duration"))
        .toList();
    for (CelExpr.CelCall c : calls) {
      boolean regex = c.function().equals("matches");
      CelExpr literal = !regex || c.target().isPresent() ? c.args().get(0) : c.args().get(1);
      if (literal.exprKind().getKind() != ExprKind.Kind.CONSTANT
          || literal.constant().getKind() != CelConstant.Kind.STRING_VALUE) {
        continue; // built while deciding: bounded by Literals on use
      }
      String text = literal.constant().stringValue();
      int[] at = position(ast.getSource(), literal.id());
      if (regex) {
        Literals.Problem problem = literals.addRegex(text);
        if (problem != null) {
          throw error(problem.overLimit() ? Kind.LIMIT : Kind.SYNTAX, source, at[0], at[1],
              (problem.overLimit() ? "over a limit" : "syntax error") + " at " + at[0] + ":"
                  + at[1] + ": " + problem.message());
        }
      } else {
        String problem = literals.addDuration(text);
        if (problem != null) {
          throw error(Kind.SYNTAX, source, at[0], at[1], "syntax error at " + at[0] + ":"
              + at[1] + ": " + problem);
        }
      }
    }
  }

  private static CelAbstractSyntaxTree astOf(CelValidationResult result) {
    try {
      return result.getAst();
    } catch (CelValidationException e) {
      throw new IllegalStateException("a result without errors has an AST", e);
    }
  }

  /** Line and column, from 1, of an expression node; 0, 0 if unknown. */
  private static int[] position(CelSource source, long exprId) {
    Integer offset = source.getPositionsMap().get(exprId);
    if (offset == null) {
      return new int[] {0, 0};
    }
    return source.getOffsetLocation(offset)
        .map(l -> new int[] {l.getLine(), l.getColumn() + 1})
        .orElse(new int[] {0, 0});
  }

  private static CelPolicyException issue(Kind kind, Source source, List<CelIssue> issues,
      String what) {
    CelIssue first = issues.get(0);
    CelSourceLocation at = first.getSourceLocation();
    int line = Math.max(at.getLine(), 0);
    int column = at.getLine() > 0 ? at.getColumn() + 1 : 0;
    StringBuilder message = new StringBuilder(what).append(" at ").append(line).append(':')
        .append(column).append(": ").append(first.getMessage());
    if (issues.size() > 1) {
      message.append(" (and ").append(issues.size() - 1).append(" more)");
    }
    return error(kind, source, line, column, message.toString());
  }

  private static CelPolicyException error(Kind kind, Source source, int line, int column,
      String problem) {
    return new CelPolicyException(kind, source.rule(), line, column,
        source.describe() + ": " + problem + " in `" + quote(source.expression()) + "`");
  }

  /** The expression for a message: line breaks shown as \n, shortened. */
  static String quote(String expression) {
    String oneLine = expression.replace("\r", "\\r").replace("\n", "\\n");
    return oneLine.length() <= MAX_QUOTED ? oneLine
        : oneLine.substring(0, MAX_QUOTED - 3) + "...";
  }
}
