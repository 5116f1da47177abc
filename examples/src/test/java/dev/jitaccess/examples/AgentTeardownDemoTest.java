package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An agent's tool chain revoked on a denial burst, torn down at three downstream systems. */
class AgentTeardownDemoTest {
  @Test
  void aDenialBurstRevokesTheChainAndEveryDownstreamConfirmsTheTeardown() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new AgentTeardownDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String all = bytes.toString(StandardCharsets.UTF_8);
    List<String> lines = List.of(all.split("\n"));
    assertTrue(all.contains("order-lookup reads orders/991: ALLOW"), all);
    assertTrue(all.contains("anomaly: "), all);
    assertTrue(all.contains("agent's check now: DENY"), all);
    assertTrue(all.contains("order-lookup's check now: DENY"), "the chain went too: " + all);
    assertTrue(all.contains("reply-writer's check now: DENY"), all);
    assertTrue(all.contains("ended support-agent") && all.contains("(ANOMALY)"), all);
    List<String> ledger = lines.stream().filter(l -> l.startsWith("    ")).toList();
    assertEquals(9, ledger.size(), all);
    assertTrue(ledger.stream().allMatch(l -> l.contains("VERIFIED")), all);
    assertTrue(all.contains("still live downstream: 0"), all);
    int objectStoreAttempts = ledger.stream().filter(l -> l.contains("object-store"))
        .mapToInt(l -> Integer.parseInt(l.substring(l.indexOf("attempts=") + 9).trim())).sum();
    assertEquals(3 + 2, objectStoreAttempts, "the flaky store's two failures were retried: " + all);
  }
}
