package dev.jitaccess.examples;

import dev.jitaccess.Grant;
import dev.jitaccess.Scope;
import dev.jitaccess.core.InMemoryGrantStore;
import dev.jitaccess.core.JitAccess;
import dev.jitaccess.governance.Bundle;
import dev.jitaccess.governance.BundleSpec;
import dev.jitaccess.governance.Bundles;
import dev.jitaccess.governance.ExposureReport;
import dev.jitaccess.governance.Governance;
import dev.jitaccess.governance.GovernanceException;
import dev.jitaccess.governance.RiskTiers;
import dev.jitaccess.testkit.time.FakeClock;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Seasonal staff, onboarded through a bundle that ends with the season. The head of support
 * approves one bundle for the holiday season (the scopes a support worker needs, in tier MEDIUM,
 * from 20 December to 3 January) and adds 1,000 seasonal workers to it in one call. On Christmas
 * Eve 300 of them activate a four-hour shift without anyone approving each one; a worker who
 * leaves mid-shift is removed and loses access at once. On the season's last morning a shift
 * that would run past the season is cut at its end; when the window closes every grant minted
 * from the bundle has ended, and nothing more can be activated. Time is a {@link FakeClock}, so
 * the season passes at once.
 */
public final class SeasonalStaffScenario {
  static final int WORKERS = 1_000;
  static final int ON_SHIFT = 300;
  static final String BUNDLE = "holiday-2026";
  static final Instant SEASON_START = Instant.parse("2026-12-20T08:00:00Z");
  static final Instant SEASON_END = Instant.parse("2027-01-03T08:00:00Z");
  private static final Scope SUPPORT = Scope.parse("read:tickets/**", "write:tickets/*/notes");

  private final FakeClock clock = FakeClock.at(SEASON_START);
  private final Timeline timeline;

  /**
   * What the scenario left in the library, read from it at the end.
   *
   * @param bundle the bundle after the season
   * @param members how many workers the bundle had
   * @param allowedOnShift checks allowed on Christmas Eve, of {@link #ON_SHIFT}
   * @param leaver the grant of the worker removed mid-shift, after the removal
   * @param lastShift the grants of the season's last shift, as minted
   * @param lastShiftAfter the same grants, read after the season ended
   * @param liveBeforeEnd live grants in the exposure report just before the season's end
   * @param liveAfterEnd live grants in the exposure report just after
   * @param allowedAfterEnd checks allowed after the end, of {@link #ON_SHIFT}
   * @param lateActivation the rule that refused an activation after the season
   */
  record Outcome(Bundle bundle, long members, long allowedOnShift, Grant leaver,
      List<Grant> lastShift, List<Grant> lastShiftAfter, int liveBeforeEnd, int liveAfterEnd,
      long allowedAfterEnd, GovernanceException.Rule lateActivation) {}

  SeasonalStaffScenario(PrintStream out) {
    this.timeline = new Timeline(out, clock);
  }

  /** Runs the scenario on standard output. */
  public static void main(String[] args) {
    new SeasonalStaffScenario(System.out).run();
  }

  Outcome run() {
    timeline.title("Seasonal staff, onboarded through a bundle that ends with the season");
    InMemoryGrantStore grants = InMemoryGrantStore.builder().clock(clock).scheduler(clock).build();
    try (Governance gov = Governance.builder().runtime(JitAccess.builder()).grants(grants)
        .clock(clock).scheduler(clock).auditSink(event -> { }).notifier(n -> { }).build()) {
      JitAccess jit = gov.access();
      Bundles bundles = gov.bundles();
      bundles.create(new BundleSpec(BUNDLE, "support-leads", "head-of-support", SUPPORT,
          RiskTiers.MEDIUM, SEASON_START, SEASON_END));
      timeline.line("head-of-support", "approves bundle " + BUNDLE + " once: " + SUPPORT
          + ", tier MEDIUM, owner support-leads, until " + Timeline.at(SEASON_END));
      List<String> workers = new ArrayList<>();
      for (int i = 0; i < WORKERS; i++) {
        workers.add("seasonal-" + i);
      }
      int added = bundles.addMembers(BUNDLE, workers, "head-of-support");
      timeline.line("head-of-support", "onboards " + added + " seasonal workers in one call");

      clock.setTo(Instant.parse("2026-12-24T08:00:00Z"));
      List<Grant> eve = shift(bundles, workers.subList(0, ON_SHIFT), "shift-2026-12-24");
      timeline.line("seasonal staff", ON_SHIFT + " workers (0-299) activate a 4-hour shift, no "
          + "per-request approval; each grant expires at " + Timeline.at(eve.get(0).expiresAt()));
      long allowedOnShift = allowed(jit, eve);
      timeline.line("support-app", allowedOnShift + " of " + ON_SHIFT
          + " shift grants allowed read:tickets/4711");
      timeline.line("support-app", "seasonal-7 writes tickets/4711/notes: "
          + jit.check(eve.get(7).id(), "write", "tickets/4711/notes")
          + "; edits tickets/4711 itself: " + jit.check(eve.get(7).id(), "write", "tickets/4711"));

      clock.setTo(Instant.parse("2026-12-24T10:15:00Z"));
      bundles.removeMembers(BUNDLE, List.of("seasonal-13"), "head-of-support");
      Grant leaver = jit.grant(eve.get(13).id()).orElseThrow();
      timeline.line("head-of-support", "removes seasonal-13, who left mid-shift: grant "
          + leaver.state() + " (" + leaver.endReason() + "), check now "
          + jit.check(leaver.id(), "read", "tickets/4711"));
      timeline.line("seasonal-13", "activates again: refused, " + Refused.rule(() ->
          bundles.activate(BUNDLE, "seasonal-13", "shift-2026-12-24", "holiday support", SUPPORT,
              Duration.ofHours(1))));
      clock.setTo(Instant.parse("2026-12-24T12:00:00Z"));
      timeline.line("support-app", "the shift is over; its grants expired on their own, live "
          + "now: " + gov.exposure("owner=support-leads").totals().live());

      clock.setTo(SEASON_END.minus(Duration.ofHours(2)));
      List<Grant> last = shift(bundles, workers.subList(ON_SHIFT, 2 * ON_SHIFT),
          "shift-2027-01-03");
      timeline.line("seasonal staff", ON_SHIFT + " others (300-599) activate the last 4-hour "
          + "shift: it would end at 10:00; each grant is cut at the season's end, "
          + Timeline.at(last.get(0).notAfter()));
      ExposureReport before = gov.exposure("groupBy=owner");
      for (ExposureReport.Group group : before.groups()) {
        timeline.line("exposure", "owner " + group.key() + ": " + group.grants()
            + " live grants, oldest " + group.oldestAge());
      }

      clock.setTo(SEASON_END);
      Bundle ended = bundles.find(BUNDLE).orElseThrow();
      List<Grant> after = last.stream().map(g -> jit.grant(g.id()).orElseThrow()).toList();
      long stillAllowed = allowed(jit, last);
      int liveAfter = gov.exposure("groupBy=owner").totals().live();
      timeline.line("governance", "the season's window closes: bundle " + ended.state() + ", "
          + after.stream().filter(g -> !g.isActive()).count() + " of " + ON_SHIFT
          + " last-shift grants ended (" + after.get(0).endReason() + ")");
      timeline.line("support-app", stillAllowed + " of " + ON_SHIFT
          + " checks allowed; live grants in the exposure report: " + liveAfter);
      GovernanceException.Rule late = Refused.rule(() -> bundles.activate(BUNDLE, "seasonal-301",
          "shift-2027-01-03", "holiday support", SUPPORT, Duration.ofHours(1)));
      timeline.line("seasonal-301", "activates after the season: refused, " + late);
      timeline.summary("The season's access lived inside its bundle: " + added + " workers, no "
          + "per-request approvals, and nothing left once the window closed.");
      return new Outcome(ended, bundles.memberCount(BUNDLE), allowedOnShift, leaver, last, after,
          before.totals().live(), liveAfter, stillAllowed, late);
    }
  }

  private static List<Grant> shift(Bundles bundles, List<String> workers, String task) {
    List<Grant> shift = new ArrayList<>();
    for (String worker : workers) {
      shift.add(bundles.activate(BUNDLE, worker, task, "holiday support shift", SUPPORT,
          Duration.ofHours(4)));
    }
    return shift;
  }

  private static long allowed(JitAccess jit, List<Grant> grants) {
    return grants.stream()
        .filter(g -> jit.check(g.id(), "read", "tickets/4711").isAllowed()).count();
  }
}
