package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.AuditEvent;
import dev.jitaccess.AuditEventType;
import dev.jitaccess.GrantState;
import dev.jitaccess.governance.GovernanceException;
import dev.jitaccess.governance.Review;
import dev.jitaccess.governance.spi.Notification;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A break-glass at night: at once and capped, reviewed by morning, or locked when missed. */
class NightBreakGlassScenarioTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final NightBreakGlassScenario.Outcome outcome = new NightBreakGlassScenario(
      new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

  @Test
  void breakGlassAt3amIsGrantedAtOnceCappedAtTheTiersHourAndDoesNotRenew() {
    assertEquals(NightBreakGlassScenario.NIGHT, outcome.olga().issuedAt());
    assertEquals(NightBreakGlassScenario.NIGHT.plus(Duration.ofHours(1)),
        outcome.olga().notAfter());
    assertEquals(GrantState.EXPIRED, outcome.olga().state());
    assertEquals("RENEWAL_NOT_ALLOWED", outcome.renewal());
    assertTrue(outcome.olgaRequest().breakGlass());
    assertEquals(NightBreakGlassScenario.NIGHT.plus(Duration.ofHours(24)),
        outcome.olgaRequest().reviewDue());
    Notification told = outcome.notices().get(0);
    assertEquals(Notification.Kind.BREAK_GLASS, told.kind());
    assertEquals(Set.of("dba-ann", "sec-sue", "platform"), told.recipients());
  }

  @Test
  void theNextMorningsReviewIsRecordedAndTheEngineerCannotReviewTheirOwn() {
    Review review = outcome.olgaRequest().review();
    assertEquals(Review.Verdict.CONFIRMED, review.verdict());
    assertEquals("sec-sue", review.reviewer());
    assertTrue(review.at().isBefore(outcome.olgaRequest().reviewDue()));
    assertEquals(GovernanceException.Rule.SELF_APPROVAL, outcome.selfReview());
  }

  @Test
  void aMissedReviewLocksTheEngineersBreakGlassUntilTheOwnerUnlocksIt() {
    Review missed = outcome.omarRequest().review();
    assertEquals(Review.Verdict.MISSED, missed.verdict());
    assertNull(missed.reviewer());
    assertEquals(outcome.omarRequest().reviewDue(), missed.at());
    assertEquals(GrantState.EXPIRED, outcome.omar().state(), "its hour was over long before");
    assertEquals(GovernanceException.Rule.BREAK_GLASS_LOCKED, outcome.whileLocked());
    assertEquals(GovernanceException.Rule.SELF_APPROVAL, outcome.selfUnlock());
    assertTrue(outcome.unlocked());
    List<AuditEventType> order = outcome.events().stream().map(AuditEvent::type)
        .filter(t -> t != AuditEventType.EXPIRED).toList();
    assertEquals(List.of(AuditEventType.BREAK_GLASS, AuditEventType.REVIEWED,
        AuditEventType.BREAK_GLASS, AuditEventType.BREAK_GLASS_LOCKED,
        AuditEventType.BREAK_GLASS_UNLOCKED), order);
    assertTrue(outcome.notices().stream().anyMatch(n -> n.kind()
        == Notification.Kind.REVIEW_MISSED), String.valueOf(outcome.notices()));
  }
}
