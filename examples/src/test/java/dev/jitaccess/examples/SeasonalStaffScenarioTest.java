package dev.jitaccess.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jitaccess.Grant;
import dev.jitaccess.GrantState;
import dev.jitaccess.RevocationReason;
import dev.jitaccess.governance.BundleState;
import dev.jitaccess.governance.Bundles;
import dev.jitaccess.governance.GovernanceException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Seasonal staff: a bundle of 1,000 workers whose every grant ends with the season. */
class SeasonalStaffScenarioTest {
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private final SeasonalStaffScenario.Outcome outcome = new SeasonalStaffScenario(
      new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

  @Test
  void everyWorkerIsOnboardedAndEveryShiftIsAllowedWithoutAPerRequestApproval() {
    assertEquals(SeasonalStaffScenario.WORKERS - 1, outcome.members(), "one worker left");
    assertEquals(SeasonalStaffScenario.ON_SHIFT, outcome.allowedOnShift());
    for (Grant g : outcome.lastShift()) {
      assertEquals("bundle:" + SeasonalStaffScenario.BUNDLE, g.requestId());
      assertEquals("support-leads", g.owner());
    }
  }

  @Test
  void aWorkerRemovedMidShiftLosesTheGrantAtOnce() {
    assertEquals(GrantState.REVOKED, outcome.leaver().state());
    assertEquals(RevocationReason.of(Bundles.MEMBER_REMOVED), outcome.leaver().endReason());
  }

  @Test
  void noGrantFromTheBundleOutlivesTheSeason() {
    assertEquals(BundleState.ENDED, outcome.bundle().state());
    assertEquals(SeasonalStaffScenario.ON_SHIFT, outcome.liveBeforeEnd());
    for (Grant minted : outcome.lastShift()) {
      assertFalse(minted.notAfter().isAfter(SeasonalStaffScenario.SEASON_END),
          "capped at the season's end: " + minted);
    }
    for (Grant ended : outcome.lastShiftAfter()) {
      assertFalse(ended.isActive(), ended.toString());
      assertFalse(ended.endedAt().isAfter(SeasonalStaffScenario.SEASON_END), ended.toString());
    }
    assertEquals(0, outcome.liveAfterEnd());
    assertEquals(0, outcome.allowedAfterEnd());
    assertEquals(GovernanceException.Rule.OUTSIDE_WINDOW, outcome.lateActivation());
  }

  @Test
  void theTimelineTellsTheSeasonInOrder() {
    String all = printed.toString(StandardCharsets.UTF_8);
    assertTrue(all.contains("onboards 1000 seasonal workers in one call"), all);
    assertTrue(all.indexOf("removes seasonal-13") < all.indexOf("window closes"), all);
    assertTrue(all.contains("0 of 300 checks allowed; live grants in the exposure report: 0"),
        all);
  }
}
