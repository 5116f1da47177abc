package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.GrantState;
import dev.jitaccess.governance.GovernanceException;
import dev.jitaccess.governance.spi.Notification;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A CI/CD pipeline's job grants: owned, renewed while the job runs, recertified or lapsed. */
class CiPipelineScenarioTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final CiPipelineScenario.Outcome outcome = new CiPipelineScenario(
      new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

  @Test
  void eachJobGrantHasItsOwnerAndTheLongRunningTier() {
    assertEquals("team-data", outcome.migration().owner());
    assertEquals("team-search", outcome.reindex().owner());
    assertEquals("LONG_RUNNING", outcome.migration().tier());
    assertEquals("LONG_RUNNING", outcome.reindex().tier());
  }

  @Test
  void theMigrationRenewedWhileItRanAndExpiredWithinTheHourAfterItsRunnerDied() {
    int hoursRun = (int) Duration.between(CiPipelineScenario.START,
        CiPipelineScenario.RUNNER_KILLED).toHours();
    assertTrue(outcome.renewals().get(CiPipelineScenario.MIGRATION) >= hoursRun - 1,
        "renewed about hourly while running: " + outcome.renewals());
    assertEquals("TASK_NOT_ALIVE", outcome.refusals().get(CiPipelineScenario.MIGRATION));
    assertEquals(GrantState.EXPIRED, outcome.migration().state());
    Instant ended = outcome.migration().endedAt();
    assertTrue(ended.isAfter(CiPipelineScenario.RUNNER_KILLED), String.valueOf(ended));
    assertFalse(ended.isAfter(CiPipelineScenario.RUNNER_KILLED.plus(Duration.ofHours(1))),
        "no more than the tier's hour after the job died: " + ended);
  }

  @Test
  void theOwnerRecertifiesAndTheJobCannotRecertifyItself() {
    assertEquals(2, outcome.dueAfterADay().size(), String.valueOf(outcome.dueAfterADay()));
    assertEquals("data-lead", outcome.certification().reviewer());
    assertTrue(outcome.certification().keep());
    assertEquals(GovernanceException.Rule.NOT_OWNER, outcome.subjectRecertifies());
    assertEquals(1, count(AuditEventType.RECERTIFIED), String.valueOf(outcome.stewardship()));
    List<Notification> due = outcome.notices().stream()
        .filter(n -> n.kind() == Notification.Kind.RECERTIFICATION_DUE).toList();
    assertEquals(Set.of(Set.of("team-data"), Set.of("team-search")),
        Set.copyOf(due.stream().map(Notification::recipients).toList()), "told the owners");
  }

  @Test
  void theUnrecertifiedReindexLapsesItsRenewalIsSuspendedAndItsGrantRunsOut() {
    assertEquals(1, count(AuditEventType.RECERTIFICATION_LAPSED),
        String.valueOf(outcome.stewardship()));
    AuditEvent lapse = outcome.stewardship().stream()
        .filter(e -> e.type() == AuditEventType.RECERTIFICATION_LAPSED).findFirst().orElseThrow();
    assertEquals(CiPipelineScenario.REINDEX, lapse.task());
    assertEquals("SUSPEND", lapse.reason());
    assertEquals("RECERTIFICATION_LAPSED", outcome.refusals().get(CiPipelineScenario.REINDEX));
    assertEquals(GrantState.EXPIRED, outcome.reindex().state());
    assertFalse(outcome.reindex().endedAt().isAfter(lapse.at().plus(Duration.ofHours(1))),
        "the grant lived out at most its current hour: " + outcome.reindex());
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains("RECERTIFICATION_LAPSED"));
  }

  private long count(AuditEventType type) {
    return outcome.stewardship().stream().filter(e -> e.type() == type).count();
  }
}
