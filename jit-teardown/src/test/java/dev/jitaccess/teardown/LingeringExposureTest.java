package dev.jitaccess.teardown;

import static dev.jitaccess.teardown.ScriptedDownstream.Answer.RETRY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.ExposureQuery;
import dev.jitaccess.governance.ExposureReport;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.spi.LingeringAccess;
import dev.jitaccess.testkit.time.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ended grants whose teardown lingers show in governance's exposure report, with their owner,
 * read from a real ledger through {@link Teardown#lingeringSource}.
 */
class LingeringExposureTest {
  private final FakeClock clock = new FakeClock();

  @Test
  void aGrantWhoseDownstreamKeepsFailingShowsInEveryRenderingOfTheExposureReportWithItsOwner() {
    ScriptedDownstream db = new ScriptedDownstream("orders-db", clock).otherwise(RETRY);
    ScriptedDownstream iam = new ScriptedDownstream("cloud-iam", clock);
    try (Rig rig = new Rig(clock, new InMemoryTeardownLedger(), List.of(db, iam), b -> { });
        Governance gov = Governance.builder().runtime(JitAccess.builder()).grants(rig.grants)
            .clock(clock).scheduler(clock)
            .lingeringSource(rig.teardown.lingeringSource(Duration.ofMinutes(5))).build()) {
      Grant ended = rig.grant("ci-job-7");
      Grant live = rig.grant("ci-job-8");
      Instant endedAt = clock.instant();
      rig.jit.revoke(ended.id(), RevocationReason.TASK_COMPLETED);

      assertEquals(List.of(), gov.exposure(ExposureQuery.all()).lingering(),
          "not lingering before the deadline");
      clock.advance(Duration.ofMinutes(6));

      ExposureReport report = gov.exposure(ExposureQuery.all());
      assertEquals(List.of(live.reference()),
          report.rows().stream().map(r -> r.reference()).toList(), "live grants apart");
      assertEquals(1, report.lingering().size(), "only the downstream that has not confirmed");
      LingeringAccess row = report.lingering().get(0);
      assertEquals(ended.reference(), row.reference());
      assertEquals("team-payments", row.owner());
      assertEquals("ci-job-7", row.subject());
      assertEquals(ended.task(), row.task());
      assertEquals("orders-db", row.downstream());
      assertEquals("IRREVOCABLE", row.state(), "the ladder of 6 attempts ran out in 6 minutes");
      assertEquals(endedAt, row.endedAt());
      assertEquals(db.revokes(), row.attempts());
      assertEquals(6, row.attempts());
      assertEquals("downstream asked to retry: connection refused by orders-db", row.cause());

      String table = report.toTable();
      String line = table.lines().filter(l -> l.contains(ended.reference())).findFirst()
          .orElseThrow();
      assertTrue(line.contains("team-payments") && line.contains("orders-db")
          && line.contains("IRREVOCABLE") && line.contains("6m00s ago"), line);
      String json = report.toJson();
      assertTrue(json.contains("\"lingering\":[{\"reference\":\"" + ended.reference() + "\""),
          json);
      assertTrue(json.contains("\"owner\":\"team-payments\",\"tier\":null"), json);
      assertFalse(json.contains(ended.id()) || table.contains(ended.id()), "never the grant id");

      assertEquals(1, gov.exposure("owner=team-payments").lingering().size());
      assertEquals(0, gov.exposure("owner=team-other").lingering().size());
      assertEquals(0, gov.exposure("subject=ci-job-8").lingering().size());

      rig.teardown.forceClose(ended.id(), "orders-db", "role dropped by hand", "dba-ann");
      assertEquals(List.of(), gov.exposure(ExposureQuery.all()).lingering(),
          "a closed entry no longer lingers");
    }
  }

  @Test
  void aNegativeDeadlineIsRefused() {
    try (Rig rig = Rig.of(clock, new ScriptedDownstream("db", clock))) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> rig.teardown.lingeringSource(Duration.ofSeconds(-1)));
      assertEquals("deadline must be >= 0, was PT-1S", e.getMessage());
    }
  }
}
