package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The demo's timeline tells the story in the order it happened. */
class LifecycleDemoTest {
  private final List<String> lines = run();

  private static List<String> run() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new LifecycleDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
  }

  /** The text after the time and the kind, which take 19 characters. */
  private static String text(String line) {
    return line.length() > 19 ? line.substring(19) : "";
  }

  @Test
  void noCheckIsShownAllowedAfterItsGrantWasTornDown() {
    Set<String> tornDown = new HashSet<>();
    List<String> contradictions = new ArrayList<>();
    for (String line : lines) {
      String text = text(line);
      if (line.contains("  listener ") && text.startsWith("tear down ")) {
        tornDown.add(text.substring("tear down ".length(), text.indexOf("'s access")));
      } else if (line.contains("  check ") && text.endsWith("-> ALLOW")
          && tornDown.contains(text.split("\\s+")[0])) {
        contradictions.add(line);
      }
    }
    assertTrue(contradictions.isEmpty(),
        "access shown allowed after its teardown: " + contradictions + "\n" + lines);
  }

  @Test
  void theCheckThatSpendsTheLastUseComesBeforeTheTeardownItCauses() {
    int lastUse = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (text(lines.get(i)).startsWith("summarizer-agent read   invoices/2026-11/4712")) {
        lastUse = i;
      }
    }
    assertTrue(lastUse >= 0, String.valueOf(lines));
    assertTrue(text(lines.get(lastUse)).endsWith("-> ALLOW"), lines.get(lastUse));
    assertTrue(text(lines.get(lastUse + 1)).startsWith("EXHAUSTED summarizer-agent"),
        lines.get(lastUse + 1));
    assertTrue(text(lines.get(lastUse + 2)).startsWith("tear down summarizer-agent's access"),
        lines.get(lastUse + 2));
  }

  @Test
  void everyGrantEndsBeforeTheDemoDoes() {
    long issued = lines.stream().filter(l -> l.contains("  audit ")
        && (text(l).startsWith("ISSUED ") || text(l).startsWith("DELEGATED "))).count();
    long torn = lines.stream().filter(l -> l.contains("  listener ")).count();
    assertEquals(issued, torn, "every grant minted is torn down: " + lines);
  }
}
