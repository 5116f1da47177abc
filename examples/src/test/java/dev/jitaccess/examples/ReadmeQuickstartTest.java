package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The quickstart in README.md is the compiled {@link Quickstart}, so it cannot drift from code
 * that builds and passes {@link QuickstartTest}.
 *
 * <p>Compared: the README's first {@code ```java} fenced block after the {@code ## Quickstart}
 * heading (the lines between its opening and closing fences), and the lines of
 * {@code Quickstart.java} strictly between the {@code // README quickstart: begin} and
 * {@code // README quickstart: end} marker lines. Lines are compared exactly, trailing spaces
 * included.
 */
class ReadmeQuickstartTest {
  private static final String HEADING = "## Quickstart";
  private static final String BEGIN = "// README quickstart: begin";
  private static final String END = "// README quickstart: end";

  /** The module's directory (Surefire sets {@code basedir}); the README is one level up. */
  private static Path moduleDir() {
    return Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
  }

  @Test
  void theReadmeQuickstartIsTheCompiledExample() throws IOException {
    List<String> readme = Files.readAllLines(
        moduleDir().resolveSibling("README.md"), StandardCharsets.UTF_8);
    List<String> source = Files.readAllLines(
        moduleDir().resolve("src/main/java/dev/jitaccess/examples/Quickstart.java"),
        StandardCharsets.UTF_8);

    assertEquals(String.join("\n", between(source, BEGIN, END)),
        String.join("\n", quickstartBlock(readme)),
        "README.md's quickstart differs from examples/.../Quickstart.java between its markers;"
            + " change both");
  }

  /**
   * The lines strictly between the one line equal to {@code begin}
   * and the one equal to {@code end}.
   */
  static List<String> between(List<String> lines, String begin, String end) {
    int from = onlyIndexOf(lines, begin);
    int to = onlyIndexOf(lines, end);
    assertTrue(from < to, begin + " must come before " + end);
    return lines.subList(from + 1, to);
  }

  /** The body of the first {@code ```java} block after the quickstart heading. */
  static List<String> quickstartBlock(List<String> readme) {
    int heading = onlyIndexOf(readme, HEADING);
    int open = -1;
    for (int i = heading + 1; i < readme.size(); i++) {
      String line = readme.get(i);
      if (line.startsWith("## ")) {
        break;
      }
      if (line.equals("```java")) {
        open = i;
        break;
      }
    }
    if (open < 0) {
      fail("no ```java block under " + HEADING);
    }
    for (int i = open + 1; i < readme.size(); i++) {
      if (readme.get(i).equals("```")) {
        return readme.subList(open + 1, i);
      }
    }
    return fail("the quickstart's ```java block is not closed");
  }

  private static int onlyIndexOf(List<String> lines, String line) {
    int first = lines.indexOf(line);
    assertTrue(first >= 0, "missing line: " + line);
    assertEquals(first, lines.lastIndexOf(line), "more than one line: " + line);
    return first;
  }
}
