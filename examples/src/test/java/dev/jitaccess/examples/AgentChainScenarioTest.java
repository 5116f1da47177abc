package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.AnomalyReport;
import dev.jitaccess.teardown.TeardownEntry;
import dev.jitaccess.teardown.TeardownState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An agent's tool chain: narrower and shorter at each step, revoked whole on an anomaly. */
class AgentChainScenarioTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final AgentChainScenario.Outcome outcome = new AgentChainScenario(
      new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

  @Test
  void everyDelegationIsNarrowerAndShorterThanItsParent() {
    Map<String, Grant> byId = new HashMap<>();
    outcome.minted().forEach(g -> byId.put(g.id(), g));
    int delegations = 0;
    for (Grant child : outcome.minted()) {
      if (child.parentId() == null) {
        continue;
      }
      Grant parent = byId.get(child.parentId());
      assertTrue(child.scope().isWithin(parent.scope()), child + " within " + parent);
      assertNotEquals(parent.scope(), child.scope(), "strictly narrower: " + child);
      assertTrue(child.expiresAt().isBefore(parent.expiresAt()), "shorter: " + child);
      delegations++;
    }
    assertEquals(3, delegations);
    assertEquals(outcome.minted().get(1).id(), outcome.minted().get(2).parentId(),
        "the invoice reader is a grandchild: a chain, not only siblings");
    assertEquals(2, outcome.refusals().size());
  }

  @Test
  void aDenialBurstRevokesTheRootAndTheWholeChainBelowIt() {
    assertEquals(1, outcome.anomalies().size(), String.valueOf(outcome.anomalies()));
    AnomalyReport report = outcome.anomalies().get(0);
    assertEquals("denial-burst", report.detector());
    assertTrue(report.revoked());
    assertEquals(outcome.minted().get(0).id(), report.grant().id());
    List<Grant> ended = outcome.ended();
    assertEquals(RevocationReason.ANOMALY, ended.get(0).endReason());
    for (Grant g : ended) {
      assertEquals(GrantState.REVOKED, g.state(), g.toString());
      assertFalse(g.endedAt().isAfter(report.at()), "ended the moment the anomaly fired: " + g);
    }
    for (Grant g : ended.subList(1, ended.size())) {
      assertEquals(RevocationReason.PARENT_REVOKED, g.endReason(), g.toString());
    }
  }

  @Test
  void everyDownstreamConfirmsTheChainIsGone() {
    assertEquals(4 * 3, outcome.ledger().size());
    for (TeardownEntry e : outcome.ledger()) {
      assertEquals(TeardownState.VERIFIED, e.state(), e.toString());
    }
    assertEquals(outcome.minted().size() + 2, outcome.ledger().stream().filter(e -> e.downstream()
        .equals("object-store")).mapToInt(TeardownEntry::attempts).sum(),
        "one attempt per grant, and the flaky store's two failures retried");
    assertEquals(0, outcome.stillLiveDownstream());
    String all = printed.toString(StandardCharsets.UTF_8);
    assertFalse(outcome.minted().stream().anyMatch(g -> all.contains(g.id())),
        "no grant id is printed");
  }
}
