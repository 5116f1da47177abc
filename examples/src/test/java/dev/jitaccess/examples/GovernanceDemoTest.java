package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Two replicas governing access on one real PostgreSQL: approval across replicas, break-glass. */
class GovernanceDemoTest {
  @Test
  void aVendorIsApprovedOnAnotherReplicaAndAnUnreviewedBreakGlassIsRevokedAtTheDeadline() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    new GovernanceDemo(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run();
    String all = bytes.toString(StandardCharsets.UTF_8);
    List<String> lines = List.of(all.split("\n"));
    assertTrue(all.contains("A  vendor-bob's check on A: ALLOW"), all);
    assertTrue(all.contains("B  vendor-bob's check on B: ALLOW"), all);
    assertTrue(all.contains("B  audit APPROVED by dba-ann"), all);
    assertTrue(all.contains("B  audit APPROVED by sec-sue"), all);
    assertTrue(all.contains("dba-ann approves again: refused, ILLEGAL_TRANSITION"), all);
    assertTrue(all.contains("03:00:00  B  oncall-olga's check: ALLOW"), all);
    assertTrue(all.contains("03:44:59  A  03:44:59, still unreviewed; check: ALLOW"), all);
    assertTrue(all.contains("03:45:00  A  03:45:00 review deadline; check: DENY(REVOKED)"), all);
    assertTrue(all.contains("audit REVOKED for oncall-olga (BREAK_GLASS_UNREVIEWED)"), all);
    assertEquals(1, lines.stream().filter(l -> l.contains("audit BREAK_GLASS_LOCKED")).count(),
        all);
    assertTrue(all.contains("notify BREAK_GLASS to [dba-ann, platform, sec-sue]"), all);
    assertTrue(all.contains("breaks the glass again: refused, BREAK_GLASS_LOCKED"), all);
    assertTrue(all.contains("lead-lee unlocks oncall-olga: true"), all);
  }
}
