package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Three replicas on one real PostgreSQL: the timeline of a revocation seen everywhere. */
class ReplicasDemoTest {
  private static final Pattern FIRST_DENIAL =
      Pattern.compile("^\\s*\\d+ ms  ([BC]) +first denial (\\d+) ms after revoke\\(\\) returned "
          + "-> DENY REVOKED$");

  @Test
  void everyReplicaAllowsThenDeniesWithinTheBoundAndEveryListenerHearsOnce() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new ReplicasDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    List<String> lines = List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    String all = String.join("\n", lines);
    assertEquals(3, lines.stream().filter(l -> l.endsWith("check -> ALLOW")).count(), all);
    int denials = 0;
    for (String line : lines) {
      Matcher m = FIRST_DENIAL.matcher(line);
      if (m.matches()) {
        denials++;
        assertTrue(Integer.parseInt(m.group(2)) <= 250, "denied within the 250 ms bound: " + line);
      }
    }
    assertEquals(2, denials, all);
    for (String replica : List.of("A", "B", "C")) {
      assertEquals(1, lines.stream().filter(l -> l.matches("^\\s*\\d+ ms  " + replica
          + " +listener: deploy-bot's grant gr_\\S+ ended, TASK_COMPLETED$")).count(), all);
    }
    assertTrue(lines.stream().noneMatch(l -> l.contains("not every listener")), all);
  }
}
